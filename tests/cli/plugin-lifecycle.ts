/**
 * The credentials' whole life through the provider plugin, under the REAL Pulumi CLI, for the
 * example program of another language than TypeScript (examples/python, yaml): its two
 * credentials, one delivering its token to an SSM parameter at moto's server and one whose token
 * is a secret output, minting at the local EMR stand-in, on its `local` stack's config (the region
 * the plugin's own, `emr-session-credentials:region`). The tests run in order, on one stack.
 */
import assert from "node:assert/strict";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import type { Program, ProgramContext } from "../support/cli-project";
import { cliProjectForSuite } from "../support/cli-project";
import type { RecordedRequest } from "../support/emr-service-stand-in";
import { localStack } from "../support/local-stack";
import { clockMovedBy } from "../support/moved-clock";
import { exampleDir } from "../support/programs/plugin-programs";
import type { CliStack } from "../support/pulumi-cli";
import { runCommand } from "../support/renewal-project";

/** The type token the plugin serves, as the state stores it. */
export const PLUGIN_TYPE = "emr-session-credentials:index:ManagedEndpointSessionCredentials";
/** Past the renewal time of the examples' tokens: 3600 s, renewed 1200 s before they expire. */
const PAST_RENEW_AT = 3600 - 1200 + 60;
const REASON = (name: string) =>
  new RegExp(`ManagedEndpointSessionCredentials "${name}": replacing to mint a new token: renewAt \\S+ has passed`);

/**
 * Registers, in the calling `describe`, the tests of the plugin example of `language`
 * (`examples/<language>`) made by `program`: preview, up, the secret token, a quiet second up, a
 * renewal, `emr-session-credentials status` and `renew`, a bad input, destroy, and no token in
 * clear anywhere.
 */
export function pluginLifecycleTests(language: string, program: (context: ProgramContext) => Promise<Program>): void {
  const project = cliProjectForSuite({ program, moto: true });
  const local = localStack(exampleDir(language.toLowerCase()));
  const setting = (key: string) => `${local.project}:${key}`;
  let stack: CliStack;

  before(async () => {
    const endpoint =
      setting("apiEndpoint") in local.config ? { [setting("apiEndpoint")]: project().standIn.endpoint } : {};
    stack = await project().stack("local", { ...local.config, ...endpoint });
  });

  /** The requests the stand-in received while `work` ran. */
  async function requestsDuring(work: () => Promise<unknown>): Promise<RecordedRequest[]> {
    const before = project().standIn.requests.length;
    await work();
    return project().standIn.requests.slice(before);
  }
  const mints = (requests: RecordedRequest[]) =>
    requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials").length;
  const parameterValue = async () => {
    const name = local.config[setting("parameterName")];
    return (
      await project()
        .moto()
        .ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
    ).Parameter?.Value;
  };
  /** Everything the CLI printed, but for `pulumi stack output --show-secrets`, which reveals by design. */
  const printed = (): string =>
    stack.transcript.filter((text) => !/^\$ pulumi stack output \S+ --show-secrets/.test(text)).join("\n");

  it(`previews a new stack of the ${language} example as two creates of the plugin's type, with no request`, async () => {
    const requests = await requestsDuring(async () => {
      const { output } = await stack.run(["preview"]);
      assert.match(output, new RegExp(`\\+ +${PLUGIN_TYPE} notebook-session create`));
      assert.match(output, new RegExp(`\\+ +${PLUGIN_TYPE} token-in-ssm create`));
    });
    assert.deepEqual(requests, []);
  });

  it("mints a token on up: [secret] in stack output, ciphertext in stack export; the other is in the SSM parameter, not the state", async () => {
    const requests = await requestsDuring(() => stack.run(["up", "--yes", "--skip-preview"]));
    assert.equal(mints(requests), 2);
    const [first, second] = project().standIn.issuedTokens;
    assert.equal(await stack.output("token"), "[secret]");
    const token = await stack.output("token", true);
    const delivered = await parameterValue();
    assert.deepEqual([token, delivered].sort(), [first, second].sort(), "each credential holds one of the tokens");

    const resources = await stack.resources(PLUGIN_TYPE);
    assert.equal(resources.length, 2);
    const session = resources.find((r) => r.urn.endsWith("::notebook-session"));
    assert.deepEqual(Object.keys(session?.outputs?.["token"] ?? {}).sort(), [
      "4dabf18193072939515e22adb298388d",
      "ciphertext",
    ]);
    const inSsm = resources.find((r) => r.urn.endsWith("::token-in-ssm"));
    assert.equal(inSsm?.outputs?.["token"], undefined, "the delivered token is not an output");
    assert.equal(await stack.output("parameterVersion"), "1");
    assert.ok(
      !JSON.stringify(await stack.exportState()).includes(delivered ?? "?"),
      "the delivered token is in the state",
    );
  });

  it("passes a second up with --expect-no-changes, sending no request", async () => {
    assert.deepEqual(await requestsDuring(() => stack.run(["up", "--yes", "--expect-no-changes"])), []);
  });

  it("past renewAt, replaces each on up, create before delete, minting exactly one new token each, and says why", async () => {
    const before = await stack.output("token", true);
    let output = "";
    const requests = await requestsDuring(async () => {
      ({ output } = await stack.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_RENEW_AT) }));
    });
    assert.equal(mints(requests), 2, "one new token for each credential");
    const created = output.indexOf("creating replacement");
    const deleted = output.indexOf("deleting original");
    assert.ok(created >= 0 && deleted > created, `replaced create-before-delete:\n${output}`);
    assert.match(output, REASON("notebook-session"));
    assert.match(output, REASON("token-in-ssm"));
    const [, , third, fourth] = project().standIn.issuedTokens;
    const token = await stack.output("token", true);
    assert.notEqual(token, before);
    assert.deepEqual([token, await parameterValue()].sort(), [third, fourth].sort());
    assert.equal(await stack.output("parameterVersion"), "2");
    assert.equal((await stack.resources(PLUGIN_TYPE)).length, 2, "the old copies are gone");
  });

  it("emr-session-credentials status finds both credentials due, and renew renews them, one token each", async () => {
    const bin = `${project().program.dir}/node_modules/.bin/emr-session-credentials`;
    const run = (args: string[]) =>
      runCommand(bin, args, stack.env, project().program.dir, { clockSeconds: 2 * PAST_RENEW_AT, passphrase: true });
    const status = await run(["status", "--json"]);
    assert.equal(status.status, 2, status.output);
    const [listed] = (JSON.parse(status.stdout) as { stacks: { credentials: { name: string; due: boolean }[] }[] })
      .stacks;
    assert.deepEqual(listed?.credentials.map((c) => [c.name, c.due]).sort(), [
      ["notebook-session", true],
      ["token-in-ssm", true],
    ]);
    const requests = await requestsDuring(async () => {
      const renew = await run(["renew", "--json"]);
      assert.equal(renew.status, 0, renew.output);
      assert.equal((JSON.parse(renew.stdout) as { stacks: { outcome: string }[] }).stacks[0]?.outcome, "renewed");
    });
    assert.equal(mints(requests), 2, "one new token for each credential");
  });

  it("fails the preview on bad inputs, naming each property and its rule, and sends nothing", async () => {
    const bad = { [setting("durationInSeconds")]: "99999", [setting("logContext")]: "X" };
    await stack.setConfig(bad);
    try {
      const requests = await requestsDuring(async () => {
        const { status, output } = await stack.run(["preview"], { allowFailure: true });
        assert.notEqual(status, 0);
        assert.match(
          output,
          /property durationInSeconds value \{99999\} has a problem: must be a whole number from 1 to 43200, got 99999/,
        );
        assert.match(output, /property logContext value \{X\} has a problem: must be 3 to 63 characters long, got 1/);
      });
      assert.deepEqual(requests, []);
    } finally {
      for (const key of Object.keys(bad)) {
        const value = local.config[key];
        await (value === undefined ? stack.run(["config", "rm", key]) : stack.setConfig({ [key]: value }));
      }
    }
  });

  it("sends nothing on destroy, and no token it minted is in anything the CLI printed, the backend's files or the export", async () => {
    assert.deepEqual(await requestsDuring(() => stack.run(["destroy", "--yes"])), []);
    assert.deepEqual(await stack.resources(PLUGIN_TYPE), []);
    const everything = [printed(), stack.backendText(), JSON.stringify(await stack.exportState())].join("\n");
    assert.equal(project().standIn.issuedTokens.length, 6);
    for (const token of project().standIn.issuedTokens) assert.ok(!everything.includes(token), "a token is in clear");
  });
}
