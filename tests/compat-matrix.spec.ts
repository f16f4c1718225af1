/**
 * The compatibility matrix: for each Pulumi and Node version users run (`COMPAT_MATRIX`), a stack
 * of its own outside the repository gets the packed package and that @pulumi/pulumi by a real
 * `npm install`, and the host tier's core checks run there: the program's registration serialized
 * by that SDK under that Node, loaded by that SDK's dynamic-provider host under that Node, against
 * the local EMR stand-in. Cells are cached (see `compat-cache.ts`); a cell that cannot be
 * provisioned fails under CI and is skipped, saying why, elsewhere.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "./fixtures/session-inputs";
import { aged } from "./support/aged-state";
import { registerInCell } from "./support/cell-registration";
import { COMPAT_MATRIX } from "./support/compat-matrix";
import type { RecordedRequest } from "./support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./support/local-stack";
import { matrixSuite, type MatrixCell, PROVISION_TIMEOUT_MS, provisionCellOrSkip } from "./support/matrix-cell";
import { type Props, type ProviderHost, startProviderHost } from "./support/provider-host";
import type { SerializedRegistration } from "./support/serialized-provider";

const STACK = "dev";
const RESOURCE_NAME = "notebook-session";
const PACKAGE = "pulumi-emr-session-credentials";

describe("the compatibility matrix: the packed package installed by npm into stacks of their own", () => {
  const { standIn, report } = matrixSuite("matrix timings");

  for (const spec of COMPAT_MATRIX) {
    describe(`@pulumi/pulumi ${spec.pulumiVersion} on Node ${spec.nodeVersion}`, () => {
      let cell: MatrixCell;
      let host: ProviderHost;
      let registration: SerializedRegistration;
      const urn = (type: string) => `urn:pulumi:${STACK}::compat-stack::${type}::${RESOURCE_NAME}`;

      /** Runs `call` and returns what it resolved with and the requests the stand-in received meanwhile. */
      async function during<T>(call: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
        const before = standIn().requests.length;
        const result = await call();
        return { result, requests: standIn().requests.slice(before) };
      }

      before(async function () {
        this.timeout(PROVISION_TIMEOUT_MS);
        cell = provisionCellOrSkip(this, spec);
        const started = performance.now();
        registration = registerInCell(
          cell,
          RESOURCE_NAME,
          {
            virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
            endpointIdentifier: ENDPOINT_ID,
            executionRoleArn: EXECUTION_ROLE_ARN,
            endpoint: standIn().endpoint,
          },
          { stack: STACK },
        );
        const registerMs = performance.now() - started;
        host = await startProviderHost({
          programDir: cell.programDir,
          node: cell.nodeBinary,
          hostScript: cell.dynamicProviderHost,
          project: cell.project,
          stack: STACK,
          env: { ...cell.env, ...OFFLINE_AWS_ENV },
        });
        await host.configure({ "aws:region": "us-west-2" });
        const { nodeMs, installMs, cold } = cell.timings;
        report.push(
          `${cell.name}: node ${(nodeMs / 1000).toFixed(1)} s, npm install ${(installMs / 1000).toFixed(1)} s ` +
            `(${cold ? "cold" : "warm"}), registration ${registerMs.toFixed(0)} ms, host start ${host.timings.start?.[0]?.toFixed(0)} ms`,
        );
      });

      after(async () => {
        await host?.stop();
      });

      it("runs that Node, and resolves that @pulumi/pulumi and the package's dependencies inside the stack, inheriting no node_modules", () => {
        assert.equal(cell.node(["--version"]).trim(), `v${spec.nodeVersion}`);
        const resolved = JSON.parse(
          cell.node([
            "-p",
            `const pkg = require.resolve("${PACKAGE}"); JSON.stringify({
              pulumi: require("@pulumi/pulumi/package.json").version,
              paths: [pkg, ...["@pulumi/pulumi", "@aws-sdk/client-emr-containers", "@aws-sdk/credential-provider-node"]
                .map((name) => require.resolve(name, { paths: [pkg] }))],
            })`,
          ]),
        ) as { pulumi: string; paths: string[] };
        assert.equal(resolved.pulumi, spec.pulumiVersion);
        const own = path.join(cell.programDir, "node_modules") + path.sep;
        for (const file of resolved.paths) assert.ok(file.startsWith(own), `${file} is outside ${own}`);
        for (let dir = path.dirname(cell.programDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
          assert.equal(existsSync(path.join(dir, "node_modules")), false, `${dir}/node_modules could be inherited`);
        }
        assert.equal(existsSync(path.join(cell.packageDir, "package.json")), true);
      });

      it("loads from a CommonJS program and from an ES module", () => {
        const commonJs = cell.node([
          "-e",
          `const { ManagedEndpointSessionCredentials, isRenewalDue } = require("${PACKAGE}");
           console.log(typeof ManagedEndpointSessionCredentials, typeof isRenewalDue);`,
        ]);
        assert.equal(commonJs.trim(), "function function");
        const esm = cell.node([
          "--input-type=module",
          "-e",
          `import { ManagedEndpointSessionCredentials, isRenewalDue } from "${PACKAGE}";
           import whole from "${PACKAGE}";
           console.log(typeof ManagedEndpointSessionCredentials, typeof isRenewalDue, whole.ManagedEndpointSessionCredentials === ManagedEndpointSessionCredentials);`,
        ]);
        assert.equal(esm.trim(), "function function true");
      });

      it("serializes __provider as the shim that loads the package by name from the stack", () => {
        assert.ok(registration.provider.includes('"pulumi-emr-session-credentials/dist/provider/hosted-provider.js"'));
        assert.ok(registration.provider.length <= 1536, `${registration.provider.length} bytes`);
        assert.doesNotMatch(registration.provider, /node_modules|\/tmp\/|\/work\//);
        assert.deepEqual(registration.options.additionalSecretOutputs, ["token"]);
      });

      it("returns bad inputs as check failures through that host, before any request", async () => {
        const news: Props = { ...registration.inputs, durationInSeconds: 0, logContext: "ab" };
        const { result, requests } = await during(() => host.check(urn(registration.type), {}, news));
        assert.deepEqual(result.failures.map((f) => f.property).sort(), ["durationInSeconds", "logContext"]);
        assert.deepEqual(requests, []);
      });

      it("creates a token, diffs it as unchanged until renewAt and as a replacement after, and deletes it without a request", async () => {
        const resourceUrn = urn(registration.type);
        const checked = await host.check(resourceUrn, {}, registration.inputs);
        assert.deepEqual(checked.failures, []);
        assert.equal(checked.inputs.region, "us-west-2", "aws:region reached configure");

        const { result: created, requests } = await during(() => host.create(resourceUrn, checked.inputs));
        assert.deepEqual(
          requests.map((r) => r.operation),
          ["GetManagedEndpointSessionCredentials"],
        );
        const state = created.properties;
        assert.equal(state.token, standIn().issuedTokens.at(-1));
        for (const name of ["expiresAt", "renewAt"]) assert.equal(typeof state[name], "string", name);

        const { result: fresh, requests: diffRequests } = await during(() =>
          host.diff(created.id, resourceUrn, state, checked.inputs),
        );
        assert.deepEqual(fresh, { changes: "none", replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await host.diff(created.id, resourceUrn, aged(state, 601), checked.inputs), {
          changes: "some",
          replaces: ["renewAt"],
          deleteBeforeReplace: false,
        });

        const { requests: deleteRequests } = await during(() => host.delete(created.id, resourceUrn, state));
        assert.deepEqual([...diffRequests, ...deleteRequests], []);
      });
    });
  }
});
