// The other ways the package is run as a whole program: the notebook example (AWS resources
// faked by the engine harness, the EMR calls to the local stand-in), the repository's root
// Pulumi.yaml (the quickstart, run from the root as `npm run demo` does), and the quickstart
// under the real Pulumi CLI when one is installed. The quickstart's life through renewal is in
// program-tier.spec.ts.

import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { Engine, TimingLog, SECRET_SIG, SIG_KEY, isSecret } from "./support/engine";
import type { EmrServiceStandIn } from "./support/emr-service-stand-in";
import { CREDENTIALS_TYPE, OFFLINE_AWS_ENV, localStack, startStandInFor, type LocalStack } from "./support/local-stack";
import { cliStack, pulumiOnPath } from "./support/pulumi-cli";

const repoRoot = path.resolve(__dirname, "..", "..");
const notebookDir = path.join(repoRoot, "examples", "notebook");
const quickstartDir = path.join(repoRoot, "examples", "quickstart");
const ENDPOINT_ID = "ep0123456789abcdefghij";
const VIRTUAL_CLUSTER_TYPE = "aws:emrcontainers/virtualCluster:VirtualCluster";
const SECRET_VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";

const timings = new TimingLog();

describe("examples as whole programs", function () {
  this.timeout(60_000);
  const env = OFFLINE_AWS_ENV;

  after(() => {
    timings.print("example run timings");
  });

  describe("the notebook example", () => {
    let stack: LocalStack;
    let standIn: EmrServiceStandIn;
    let virtualClusterId: string;

    before(async () => {
      stack = localStack(notebookDir);
      standIn = await startStandInFor(stack);
    });
    after(async () => {
      await standIn?.close();
    });

    const newEngine = (): Engine =>
      new Engine({ programDir: notebookDir, project: stack.project, stack: "local", config: stack.config, env });

    it("puts the endpoint's URL and the token, as a secret, into the Secrets Manager secret on up", async () => {
      const engine = newEngine();
      const result = timings.record("notebook up", await engine.up());
      assert.ok(result.ok, `up failed: ${result.error}\n${result.log}`);
      assert.equal(standIn.issuedTokens.length, 1);
      const token = standIn.issuedTokens[0]!;

      const [cluster] = engine.state.ofType(VIRTUAL_CLUSTER_TYPE);
      assert.ok(cluster, "the virtual cluster is in state");
      virtualClusterId = cluster.id;
      const describes = standIn.requests.filter((r) => r.operation === "DescribeManagedEndpoint");
      assert.equal(describes.length, 1, "the endpoint was described once, at the stand-in");
      assert.equal(describes[0]?.virtualClusterIdentifier, virtualClusterId, "in the cluster the program created");
      assert.equal(describes[0]?.endpointIdentifier, ENDPOINT_ID);
      const mints = standIn.requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials");
      assert.equal(mints.length, 1);
      assert.equal(mints[0]?.virtualClusterIdentifier, virtualClusterId);
      assert.equal(mints[0]?.body?.["executionRoleArn"], engine.state.ofType("aws:iam/role:Role")[0]?.outputs["arn"]);
      assert.ok(
        standIn.requests.indexOf(describes[0]) < standIn.requests.indexOf(mints[0]),
        "described before minting",
      );

      const [version] = engine.state.ofType(SECRET_VERSION_TYPE);
      assert.ok(version, "the secret version is in state");
      assert.ok(isSecret(version.inputs["secretString"]), "secretString is a secret input");
      assert.ok(version.secretOutputs.includes("secretString"), "secretString is stored as a secret");
      const serverUrl = `https://${ENDPOINT_ID}.jeg.stand-in.invalid:18888`;
      assert.deepEqual(JSON.parse(String(version.outputs["secretString"])), {
        JUPYTER_GATEWAY_URL: serverUrl,
        JUPYTER_GATEWAY_AUTH_TOKEN: token,
      });
      assert.equal(result.outputs["serverUrl"], serverUrl);
      assert.equal(
        result.outputs["gatewaySecretArn"],
        engine.state.ofType("aws:secretsmanager/secret:Secret")[0]?.outputs["arn"],
      );
      assert.ok(!result.log.includes(token), "the token is not printed");
    });

    it("fails the up, saying CREATING and minting nothing, while the endpoint is still being created", async () => {
      assert.ok(virtualClusterId, "the previous test learned the virtual cluster's (deterministic) fake ID");
      standIn.reset();
      standIn.registerEndpoint({ virtualClusterId, id: ENDPOINT_ID, state: "CREATING" });
      const engine = newEngine();
      const result = timings.record("notebook up, endpoint CREATING", await engine.up());
      assert.equal(result.ok, false);
      assert.match(
        result.error ?? "",
        new RegExp(`managed endpoint ${ENDPOINT_ID} in virtual cluster ${virtualClusterId} is CREATING, not ACTIVE`),
      );
      assert.match(result.error ?? "", /no token was minted/);
      assert.deepEqual(
        standIn.requests.map((r) => r.operation),
        ["DescribeManagedEndpoint"],
      );
      assert.equal(standIn.issuedTokens.length, 0);
      assert.deepEqual(engine.state.ofType(CREDENTIALS_TYPE), []);
      assert.deepEqual(engine.state.ofType(SECRET_VERSION_TYPE), [], "no secret version without a token");
    });
  });

  describe("the repository's root Pulumi.yaml", () => {
    it("runs the quickstart from the root (its `main`) and mints one token on up", async () => {
      const stack = localStack(repoRoot);
      const main = (load(readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { main: string }).main;
      assert.equal(main, "examples/quickstart/index.ts");
      const standIn = await startStandInFor(stack);
      try {
        const engine = new Engine({
          programDir: repoRoot,
          program: main,
          project: stack.project,
          stack: "local",
          config: stack.config,
          env,
        });
        const result = timings.record("root Pulumi.yaml up", await engine.up());
        assert.ok(result.ok, `up failed: ${result.error}\n${result.log}`);
        assert.equal(standIn.issuedTokens.length, 1);
        assert.deepEqual(result.outputs["token"], { [SIG_KEY]: SECRET_SIG, value: standIn.issuedTokens[0] });
        assert.equal(engine.state.ofType(CREDENTIALS_TYPE).length, 1);
        assert.equal(result.outputs["parameterName"], "/emr/local/session-token");
      } finally {
        await standIn.close();
      }
    });
  });

  describe("the real Pulumi CLI", () => {
    it("previews the quickstart, credentials included, against the stand-in", async function () {
      const pulumi = pulumiOnPath();
      if (pulumi === undefined) {
        console.log("      skipped: no pulumi binary on PATH; the program tier above plays the engine instead");
        this.skip();
      }
      this.timeout(180_000);
      const stack = localStack(quickstartDir);
      const standIn = await startStandInFor(stack);
      const cli = cliStack(pulumi, stack, path.join(quickstartDir, "index.ts"), env);
      try {
        // The SSM parameter's provider only plans here: no AWS account is reached.
        const output = cli.run("preview", "--diff");
        assert.match(output, /ManagedEndpointSessionCredentials/);
        assert.match(output, /notebook-session/);
        assert.equal(standIn.requests.length, 0, "a preview mints nothing");
      } finally {
        cli.dispose();
        await standIn.close();
      }
    });
  });
});
