/**
 * What a package upgrade does to resources already in a stack. Their state keeps the
 * `__provider` they were created with, and the host runs read and delete from the state's
 * `__provider`; since that is the shim, which loads the package by name, a resource created by
 * one version runs the version installed now for its next diff, read and delete. The newer
 * version here is the packed package with its version bumped and its `read` changed to stamp
 * the state, so the test can tell whose code ran.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import * as path from "node:path";
import type * as Package from "../provider";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "./fixtures/session-inputs";
import { EmrServiceStandIn } from "./support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./support/local-stack";
import { type Props, type ProviderHost, startProviderHost } from "./support/provider-host";
import { serializedProviderOf } from "./support/serialized-provider";
import { extract, installAsUser, type UserInstall } from "./support/user-install";

const PROJECT = "upgrade-stack";
const STACK = "dev";
const URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/emr-containers:ManagedEndpointSessionCredentials::session`;
const NEWER_VERSION = "99.0.0";

describe("a package upgrade, for resources already in a stack", () => {
  let install: UserInstall;
  let standIn: EmrServiceStandIn;
  /** What the installed package registers: `__provider` and the inputs. */
  let registered: Props;
  let checked: Props;
  /** A resource's state as the version first installed created it. */
  let oldState: Props;
  let oldId: string;

  /** Registers the resource with the package now installed, loaded afresh as a new program run would. */
  async function register(): Promise<Props> {
    for (const file of Object.keys(require.cache)) {
      if (file.startsWith(install.packageDir)) delete require.cache[file];
    }
    const installed = require(install.packageDir) as typeof Package;
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
      programDir: install.programDir,
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
    install = installAsUser({ project: PROJECT, prefix: "upgrade-" });
    standIn = await EmrServiceStandIn.start();
    registered = await register();
    await withHost(async (host) => {
      checked = (await host.check(URN, {}, registered)).inputs;
      const created = await host.create(URN, checked);
      oldId = created.id;
      oldState = created.properties;
    });

    // The upgrade: the newer version's files replace the installed ones, as `npm install` does.
    rmSync(install.packageDir, { recursive: true });
    extract(install.tarball, install.packageDir);
    const manifestFile = path.join(install.packageDir, "package.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { version: string };
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: NEWER_VERSION }));
    appendFileSync(
      path.join(install.packageDir, "dist", "provider", "hosted-provider.js"),
      `\nexports.hostedProvider.read = async (id, props) => ({ id, props: { ...props, readBy: "${NEWER_VERSION}" } });\n`,
    );
  });

  after(async () => {
    await standIn?.close();
    install?.remove();
  });

  it("registers byte for byte the __provider the old version stored, so the host cannot tell them apart", async () => {
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
    rmSync(install.packageDir, { recursive: true });
    const notFound = /Cannot find module 'pulumi-emr-session-credentials\/dist\/provider\/hosted-provider\.js'/;
    await withHost(async (host) => {
      await assert.rejects(host.read(oldId, URN, oldState), notFound);
      await assert.rejects(host.delete(oldId, URN, oldState), notFound);
    });
  });
});
