/**
 * The Go example (examples/go), built with the package's Go SDK (sdk/go), its credentials through
 * the provider plugin (its executable on PATH), under the REAL Pulumi CLI: up mints one secret
 * token, destroy sends nothing. The Go language host compiles the program on every run (minutes
 * the first time).
 */
import assert from "node:assert/strict";
import { cliProjectForSuite } from "../support/cli-project";
import { localStack } from "../support/local-stack";
import { exampleDir, goExample } from "../support/programs/plugin-programs";
import type { CliStack } from "../support/pulumi-cli";
import { PLUGIN_TYPE } from "./plugin-lifecycle";

describe("the Go example's credentials through the provider plugin, under the real Pulumi CLI", function () {
  this.timeout(600_000);
  const project = cliProjectForSuite({ program: goExample });
  let stack: CliStack;

  before(async () => {
    const local = localStack(exampleDir("go"));
    stack = await project().stack("local", {
      ...local.config,
      [`${local.project}:apiEndpoint`]: project().standIn.endpoint,
    });
  });

  it("mints one token on up, a secret output, and destroy sends nothing", async () => {
    const { output } = await stack.run(["up", "--yes", "--skip-preview"]);
    assert.match(output, /using pulumi-resource-emr-session-credentials from \$PATH/);
    assert.deepEqual(
      project().standIn.requests.map((r) => r.operation),
      ["GetManagedEndpointSessionCredentials"],
    );
    assert.equal(await stack.output("token"), "[secret]");
    assert.equal(await stack.output("token", true), project().standIn.issuedTokens[0]);
    const [credentials] = await stack.resources(PLUGIN_TYPE);
    assert.equal(credentials?.outputs?.["durationInSeconds"], 3600, "the SDK sent the program's whole number");

    await stack.run(["destroy", "--yes"]);
    assert.equal(project().standIn.requests.length, 1, "destroy sent nothing");
    assert.deepEqual(await stack.resources(PLUGIN_TYPE), []);
  });
});
