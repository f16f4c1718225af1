/**
 * The provider plugin's tier below the CLI: the plugin's server (`dist/provider/plugin/serve.js` of
 * the package installed from its npm tarball, the module `pulumi-plugin/package.json` names)
 * started as the engine starts a plugin, in the project's directory with the plugin's stack config
 * in `PULUMI_CONFIG` and the engine's address as its argument (an engine stand-in that records what
 * the plugin logs), and driven over gRPC as the engine drives it: values as
 * `google.protobuf.Struct`s, secrets as Pulumi marks them. The executable
 * `pulumi-resource-emr-session-credentials` is started beside the package and, as
 * `pulumi plugin install --file` copies it, alone.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "./fixtures/session-inputs";
import { aged } from "./support/aged-state";
import { startEngineStandIn, type EngineStandIn } from "./support/engine-stand-in";
import { EmrServiceStandIn } from "./support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./support/local-stack";
import { type ProviderHost, startProviderHost, UNKNOWN } from "./support/provider-host";
import { installAsUser, linkBins, type UserInstall } from "./support/user-install";
import { isSecret, reveal, secret } from "./support/wire";

const TYPE = "emr-session-credentials:index:ManagedEndpointSessionCredentials";
const URN = `urn:pulumi:dev::notebooks::${TYPE}::notebook-session`;
const DECLARED = {
  virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
  endpointIdentifier: ENDPOINT_ID,
  executionRoleArn: EXECUTION_ROLE_ARN,
};

describe("the provider plugin through its gRPC server, installed from its npm tarball", function () {
  this.timeout(60_000);
  let install: UserInstall;
  let standIn: EmrServiceStandIn;
  let engine: EngineStandIn;
  let plugin: ProviderHost;

  before(async () => {
    install = installAsUser({ project: "notebooks", prefix: "plugin-host-" });
    standIn = await EmrServiceStandIn.start();
    engine = await startEngineStandIn();
    plugin = await startProviderHost({
      programDir: install.programDir,
      hostScript: path.join(install.packageDir, "dist", "provider", "plugin", "serve.js"),
      engineAddress: engine.address,
      env: { ...OFFLINE_AWS_ENV, PULUMI_CONFIG: JSON.stringify({ region: "us-west-2" }) },
    });
  });
  after(async () => {
    await plugin?.stop();
    await engine?.close();
    await standIn?.close();
    install?.remove();
  });

  /** The checked inputs for `declared`, asserting that nothing failed. */
  async function checked(declared: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const { inputs, failures } = await plugin.check(URN, {}, { ...DECLARED, endpoint: standIn.endpoint, ...declared });
    assert.deepEqual(failures, []);
    return inputs;
  }

  it("serves the schema the package carries, at the package's version", async () => {
    const packaged = readFileSync(path.join(install.packageDir, "dist", "provider", "plugin", "schema.json"), "utf8");
    assert.deepEqual(JSON.parse(await plugin.schema()), JSON.parse(packaged));
    const { version } = JSON.parse(readFileSync(path.join(install.packageDir, "package.json"), "utf8")) as {
      version: string;
    };
    assert.equal(await plugin.pluginVersion(), version);
  });

  it("checks as the lifecycle does: one failure per bad property, unknowns none, the region from its config", async () => {
    const bad = await plugin.check(URN, {}, { ...DECLARED, durationInSeconds: 99999, logContext: "X" });
    assert.deepEqual(
      bad.failures.map((f) => f.property),
      ["durationInSeconds", "logContext"],
    );
    const previewed = await plugin.check(URN, {}, { ...DECLARED, endpointIdentifier: UNKNOWN });
    assert.deepEqual(previewed.failures, []);
    const inputs = await checked();
    assert.equal(inputs.region, "us-west-2");
    assert.equal(inputs.resourceName, "notebook-session");
  });

  it("keeps a secret input secret across the wire, and returns the token as a secret, minting once", async () => {
    const inputs = await checked({ clientToken: secret("pinned-2026-12") });
    assert.ok(isSecret(inputs.clientToken), "the checked input is still secret");
    const before = standIn.requests.length;
    const { properties } = await plugin.create(URN, inputs);
    assert.equal(standIn.requests.length - before, 1);
    assert.ok(isSecret(properties.token), "the token is a secret");
    assert.equal(reveal(properties.token), standIn.issuedTokens.at(-1));
    assert.ok(isSecret(properties.clientToken), "the secret input is still secret");
    assert.equal(standIn.requests.at(-1)?.body?.clientToken, "pinned-2026-12");
  });

  it("replaces once renewAt has passed, and says why to the engine, under the resource, as information", async () => {
    const inputs = await checked();
    const { id, properties } = await plugin.create(URN, inputs);
    assert.deepEqual(await plugin.diff(id, URN, properties, inputs), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const before = engine.logged.length;
    const due = aged(properties, 900);
    const diff = await plugin.diff(id, URN, due, inputs);
    assert.deepEqual(diff, { changes: "some", replaces: ["renewAt"], deleteBeforeReplace: false });
    assert.deepEqual(engine.logged.slice(before), [
      {
        severity: "INFO",
        urn: URN,
        message: `ManagedEndpointSessionCredentials "notebook-session": replacing to mint a new token: renewAt ${String(due.renewAt)} has passed`,
      },
    ]);
  });

  it("refreshes and deletes without a request", async () => {
    const { id, properties } = await plugin.create(URN, await checked());
    const before = standIn.requests.length;
    assert.deepEqual((await plugin.read(id, URN, properties)).properties, properties);
    await plugin.delete(id, URN, properties);
    assert.equal(standIn.requests.length, before);
  });

  it("never says a token: not in what the plugin printed, nor in what it logged to the engine", () => {
    const said = plugin.output() + JSON.stringify(engine.logged);
    assert.ok(standIn.issuedTokens.length >= 3);
    for (const token of standIn.issuedTokens) assert.ok(!said.includes(token), "a token was said");
  });

  describe("the executable pulumi-resource-emr-session-credentials", () => {
    let away: string;
    let executable: string;
    before(() => {
      executable = linkBins(install)["pulumi-resource-emr-session-credentials"] ?? "";
      away = mkdtempSync(path.join(os.tmpdir(), "plugin-cache-"));
      copyFileSync(executable, path.join(away, "pulumi-resource-emr-session-credentials"));
    });
    after(() => rmSync(away, { recursive: true, force: true }));

    /** Starts `script` as a plugin in `cwd` and resolves with the version it reports, then stops it. */
    async function versionServed(script: string, cwd: string): Promise<string> {
      const served = await startProviderHost({ programDir: cwd, hostScript: script, env: OFFLINE_AWS_ENV });
      try {
        return await served.pluginVersion();
      } finally {
        await served.stop();
      }
    }

    it("serves the plugin beside it, from node_modules/.bin, wherever the engine starts it", async () => {
      assert.equal(await versionServed(executable, os.tmpdir()), await plugin.pluginVersion());
    });

    it("copied alone (as into the plugin cache), serves the package installed in the project the engine starts it in", async () => {
      const copy = path.join(away, "pulumi-resource-emr-session-credentials");
      assert.equal(await versionServed(copy, install.programDir), await plugin.pluginVersion());
    });

    it("copied alone, in a project without the package, exits 1 saying what to install, printing no port", () => {
      const copy = path.join(away, "pulumi-resource-emr-session-credentials");
      const run = spawnSync(process.execPath, [copy, "127.0.0.1:1"], { cwd: away, encoding: "utf8" });
      assert.equal(run.status, 1);
      assert.equal(run.stdout, "");
      assert.match(
        run.stderr,
        /the package pulumi-emr-session-credentials is not installed in .*: run `npm install pulumi-emr-session-credentials` there/,
      );
    });
  });
});
