/**
 * What an upgrade from the previous release does to what users hold: their stacks' states, and the
 * imports their programs make. The previous release is kept as the tarball `npm pack` made of it
 * (`tests/fixtures/releases/`), before the provider was laid out by concern. A resource's state
 * keeps the `__provider` it was created with, and the host runs read and delete from the state's
 * `__provider`; since that is the shim, which loads
 * `pulumi-emr-session-credentials/dist/provider/hosted-provider.js` by package name, a resource
 * created by the previous release runs the version installed now for its next diff, read and
 * delete, and the package's `exports` must keep that path, and every other the release had.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as Package from "../provider";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "./fixtures/session-inputs";
import { cliProjectForSuite } from "./support/cli-project";
import { EmrServiceStandIn } from "./support/emr-service-stand-in";
import { CREDENTIALS_TYPE, OFFLINE_AWS_ENV } from "./support/local-stack";
import { clockMovedBy } from "./support/moved-clock";
import { packPackage, PREVIOUS_RELEASE_TARBALL } from "./support/packed-package";
import { nodejsProgram, type NodejsProgram } from "./support/programs/nodejs-program";
import { type Props, type ProviderHost, startProviderHost } from "./support/provider-host";
import { serializedProviderOf } from "./support/serialized-provider";
import { extract } from "./support/user-install";

const PROJECT = "upgrade-stack";
const STACK = "dev";
const URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/emr-containers:ManagedEndpointSessionCredentials::session`;
const NEWER_VERSION = "99.0.0";
/** The module every stored `__provider` requires by name. */
const HOSTED_PROVIDER = "pulumi-emr-session-credentials/dist/provider/hosted-provider.js";

/** Replaces the package installed in `program` with the files of `tarball`, as `npm install` does. */
function upgrade(program: NodejsProgram, tarball: string): void {
  rmSync(program.packageDir, { recursive: true });
  extract(tarball, program.packageDir);
}

/** The program's `require`, resolving as the program (and the shim in its host) resolves. */
function programRequire(program: NodejsProgram): NodeJS.Require {
  return createRequire(path.join(program.dir, "index.js"));
}

describe("an upgrade from the previous release, for resources already in a stack", () => {
  let program: NodejsProgram;
  let standIn: EmrServiceStandIn;
  /** What the installed package registers: `__provider` and the inputs. */
  let checked: Props;
  /** A resource's state as the previous release created it. */
  let oldState: Props;
  let oldId: string;

  /** Registers the resource with the package now installed, loaded afresh as a new program run would. */
  async function register(): Promise<Props> {
    for (const file of Object.keys(require.cache)) {
      if (file.startsWith(program.packageDir)) delete require.cache[file];
    }
    const installed = require(program.packageDir) as typeof Package;
    const args = {
      virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
      endpointIdentifier: ENDPOINT_ID,
      executionRoleArn: EXECUTION_ROLE_ARN,
      endpoint: standIn.endpoint,
    };
    const registration = await serializedProviderOf(
      () => new installed.ManagedEndpointSessionCredentials("session", args),
      { project: PROJECT, stack: STACK },
    );
    return registration.inputs;
  }

  /** Runs `use` against a fresh provider host in the program's directory, as the next `pulumi` run starts one. */
  async function withHost(use: (host: ProviderHost) => Promise<void>): Promise<void> {
    const host = await startProviderHost({
      programDir: program.dir,
      project: PROJECT,
      stack: STACK,
      env: OFFLINE_AWS_ENV,
    });
    try {
      await host.configure({ "aws:region": "us-west-2" });
      await use(host);
    } finally {
      await host.stop();
    }
  }

  before(async function () {
    this.timeout(60_000);
    program = nodejsProgram({ project: PROJECT, files: {}, tarball: PREVIOUS_RELEASE_TARBALL });
    standIn = await EmrServiceStandIn.start();
    const registered = await register();
    await withHost(async (host) => {
      checked = (await host.check(URN, {}, registered)).inputs;
      const created = await host.create(URN, checked);
      oldId = created.id;
      oldState = created.properties;
    });

    // The upgrade: this checkout's files replace the previous release's, as `npm install` does; the
    // newer version's `read` stamps the state, so that the tests can tell whose code ran.
    upgrade(program, packPackage().tarball);
    // Resolved by a new process, as the host resolves it: this one keeps the package.json it read before.
    const hostedProviderFile = execFileSync(
      process.execPath,
      ["-p", `require.resolve(${JSON.stringify(HOSTED_PROVIDER)})`],
      {
        cwd: program.dir,
        encoding: "utf8",
      },
    ).trim();
    appendFileSync(
      hostedProviderFile,
      `\nexports.hostedProvider.read = async (id, props) => ({ id, props: { ...props, readBy: "${NEWER_VERSION}" } });\n`,
    );
  });

  after(async () => {
    await standIn?.close();
    program?.remove();
  });

  it("registers byte for byte the __provider the previous release stored, so the host cannot tell them apart", async () => {
    assert.equal((await register()).__provider, oldState.__provider);
  });

  it("runs the newer version for an old resource's diff, read and delete", async () => {
    await withHost(async (host) => {
      assert.equal((await host.diff(oldId, URN, oldState, checked)).changes, "none");
      const read = await host.read(oldId, URN, oldState);
      assert.equal(read.properties.readBy, NEWER_VERSION);
      assert.equal(read.properties.token, oldState.token);
      await host.delete(oldId, URN, oldState);
    });
  });

  it("cannot read or delete an old resource once the package is uninstalled: keep it installed until they are gone", async () => {
    rmSync(program.packageDir, { recursive: true });
    const notFound = /Cannot find module 'pulumi-emr-session-credentials\/dist\/provider\/hosted-provider\.js'/;
    await withHost(async (host) => {
      await assert.rejects(host.read(oldId, URN, oldState), notFound);
      await assert.rejects(host.delete(oldId, URN, oldState), notFound);
    });
  });
});

describe("an upgrade from the previous release, for what a program imports", () => {
  let program: NodejsProgram;
  /** The previous release, installed likewise. */
  let previousProgram: NodejsProgram;
  let previous: string;

  before(() => {
    program = nodejsProgram({ project: PROJECT, files: {} });
    previousProgram = nodejsProgram({ project: PROJECT, files: {}, tarball: PREVIOUS_RELEASE_TARBALL });
    previous = previousProgram.packageDir;
  });
  after(() => {
    program?.remove();
    previousProgram?.remove();
  });

  it("resolves every module path the previous release had, each with at least the names it exported", () => {
    const modules = readdirSync(path.join(previous, "dist", "provider")).filter((file) => file.endsWith(".js"));
    assert.ok(modules.length > 20, `the previous release had ${modules.length} modules`);
    const load = programRequire(program);
    for (const file of modules) {
      const before = Object.keys(require(path.join(previous, "dist", "provider", file)) as object);
      const now = Object.keys(load(`pulumi-emr-session-credentials/dist/provider/${file}`) as object);
      for (const name of before) assert.ok(now.includes(name), `dist/provider/${file} no longer exports ${name}`);
    }
    const main = Object.keys(load("pulumi-emr-session-credentials") as object);
    for (const name of Object.keys(require(previous) as object)) assert.ok(main.includes(name), `main lost ${name}`);
  });
});

describe("a stack the previous release wrote, under the real Pulumi CLI after the upgrade", function () {
  this.timeout(240_000);
  /** Past the default renewal time of a 900 s token (renewed 300 s before it expires). */
  const PAST_RENEW_AT = 700;
  const project = cliProjectForSuite({
    program: () =>
      nodejsProgram({
        project: PROJECT,
        files: { "index.js": readFileSync(path.join(__dirname, "fixtures", "compat-program.js"), "utf8") },
        tarball: PREVIOUS_RELEASE_TARBALL,
      }),
  });

  it("refreshes, renews once and destroys with the new layout what the previous release created", async () => {
    const installed = project().program as NodejsProgram;
    const stack = await project().stack(STACK, {
      [`${PROJECT}:virtualClusterId`]: VIRTUAL_CLUSTER_ID,
      [`${PROJECT}:endpointId`]: ENDPOINT_ID,
      [`${PROJECT}:executionRoleArn`]: EXECUTION_ROLE_ARN,
      [`${PROJECT}:apiEndpoint`]: project().standIn.endpoint,
      "aws:region": "us-west-2",
    });
    await stack.run(["up", "--yes", "--skip-preview"]);
    assert.equal(project().standIn.issuedTokens.length, 1);
    const [written] = await stack.resources(CREDENTIALS_TYPE);
    assert.ok(String(written?.inputs?.["__provider"]).includes(HOSTED_PROVIDER), "the state's shim names the module");

    upgrade(installed, packPackage().tarball);
    assert.ok(!existsSync(path.join(installed.packageDir, "dist", "provider", "hosted-provider.js")));
    const token = await stack.output("token", true);

    const requests = project().standIn.requests.length;
    await stack.run(["refresh", "--yes"]);
    await stack.run(["up", "--yes", "--expect-no-changes"]);
    assert.equal(project().standIn.requests.length, requests, "refresh and a quiet up send nothing");
    assert.equal(await stack.output("token", true), token);

    const { output } = await stack.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_RENEW_AT) });
    assert.match(output, /replacing to mint a new token: renewAt \S+ has passed/);
    assert.equal(project().standIn.issuedTokens.length, 2, "exactly one new token");
    assert.equal(await stack.output("token", true), project().standIn.issuedTokens[1]);
    assert.equal((await stack.resources(CREDENTIALS_TYPE)).length, 1, "the old copy is deleted");

    const before = project().standIn.requests.length;
    await stack.run(["destroy", "--yes"]);
    assert.equal(project().standIn.requests.length, before, "destroy sends nothing");
    assert.deepEqual(await stack.resources(CREDENTIALS_TYPE), []);
  });
});
