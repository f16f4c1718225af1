/**
 * The package in every install layout npm makes (tarball into `node_modules`, npm workspace
 * member, `file:` dependency), registered as a program registers it and driven through Pulumi's
 * REAL dynamic-provider host from the program's directory. In the last two Node loads the package
 * from its real path outside `node_modules`, where Pulumi's closure serializer copies modules into
 * `__provider` by value: the shim must keep `__provider` small there too, and still run the
 * package's code.
 */
import assert from "node:assert/strict";
import type * as Package from "../provider";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "./fixtures/session-inputs";
import { EmrServiceStandIn } from "./support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./support/local-stack";
import { type Props, type ProviderHost, startProviderHost } from "./support/provider-host";
import { serializedProviderOf, type SerializedRegistration } from "./support/serialized-provider";
import { INSTALL_LAYOUTS, installAsUser, type InstallLayout, type UserInstall } from "./support/user-install";

const PROJECT = "layout-stack";
const STACK = "dev";
const URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/emr-containers:ManagedEndpointSessionCredentials::session`;
/** The most `__provider` may take in each resource's state. */
const MAX_PROVIDER_BYTES = 1536;

describe("ManagedEndpointSessionCredentials in every install layout, through Pulumi's own provider host", () => {
  let standIn: EmrServiceStandIn;
  const installs = new Map<InstallLayout, UserInstall>();
  const registrations = new Map<InstallLayout, SerializedRegistration>();

  before(async function () {
    this.timeout(120_000);
    standIn = await EmrServiceStandIn.start();
    for (const layout of INSTALL_LAYOUTS) {
      const install = installAsUser({ project: PROJECT, prefix: `layout-${layout}-`, layout });
      installs.set(layout, install);
      const installed = require(install.packageDir) as typeof Package;
      const args = {
        virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
        endpointIdentifier: ENDPOINT_ID,
        executionRoleArn: EXECUTION_ROLE_ARN,
        endpoint: standIn.endpoint,
      };
      registrations.set(
        layout,
        await serializedProviderOf(() => new installed.ManagedEndpointSessionCredentials("session", args), {
          project: PROJECT,
          stack: STACK,
        }),
      );
    }
    console.log(
      `      __provider: ${INSTALL_LAYOUTS.map((l) => `${l} ${registrations.get(l)?.provider.length} bytes`).join(", ")}`,
    );
  });

  after(async () => {
    await standIn?.close();
    for (const install of installs.values()) install.remove();
  });

  it("registers the same __provider in every layout, at most 1.5 KB, with none of the package's code or paths", () => {
    const [first, ...others] = INSTALL_LAYOUTS.map((layout) => registrations.get(layout)?.provider ?? "");
    for (const other of others) assert.equal(other, first);
    assert.ok((first ?? "").length <= MAX_PROVIDER_BYTES, `${first?.length} bytes`);
    assert.doesNotMatch(first ?? "", /must be a whole number from|@aws-sdk|\.test-work|packages\/|\/work\//);
  });

  for (const layout of INSTALL_LAYOUTS) {
    describe(`installed as ${layout}`, () => {
      let host: ProviderHost;

      before(async () => {
        const install = installs.get(layout);
        assert.ok(install);
        host = await startProviderHost({
          programDir: install.programDir,
          project: PROJECT,
          stack: STACK,
          env: OFFLINE_AWS_ENV,
        });
        await host.configure({ "aws:region": "us-west-2" });
      });

      after(async () => {
        await host?.stop();
      });

      it("checks, creates, diffs, updates, reads and deletes from the program's directory", async () => {
        const registered = registrations.get(layout)?.inputs ?? {};
        const { inputs, failures } = await host.check(URN, {}, registered);
        assert.deepEqual(failures, []);
        assert.equal(inputs.region, "us-west-2");

        const created = await host.create(URN, inputs);
        assert.equal(created.properties.token, standIn.issuedTokens.at(-1));
        const state: Props = created.properties;
        assert.equal(state.__provider, registered.__provider);

        assert.equal((await host.diff(created.id, URN, state, inputs)).changes, "none");
        const later = (await host.check(URN, inputs, { ...registered, renewBeforeSeconds: 60 })).inputs;
        const updated = await host.update(created.id, URN, state, later);
        assert.equal(updated.properties.token, state.token);
        assert.deepEqual((await host.read(created.id, URN, updated.properties)).properties, updated.properties);
        await host.delete(created.id, URN, updated.properties);
      });
    });
  }
});
