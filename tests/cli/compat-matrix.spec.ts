/**
 * The compatibility matrix under the REAL Pulumi CLI: in each cell's stack (the packed package and
 * one exact @pulumi/pulumi installed by `npm install`, see tests/compat-matrix.spec.ts), run with
 * the cell's Node, one credentials resource goes through up, an up past renewAt and destroy
 * against the local EMR stand-in. Every cell runs under the CLI `npm run setup:pulumi` gives, and
 * the floor cell once more under the oldest CLI the package supports, built from the Go module
 * proxy. A cell or CLI that cannot be provisioned fails under CI and is skipped, saying why,
 * elsewhere; a failure of the CLI always fails.
 */
import assert from "node:assert/strict";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, REGION, VIRTUAL_CLUSTER_ID } from "../fixtures/session-inputs";
import { cellProgram } from "../support/cell-stack";
import { startCliStack, type CliProjectStack } from "../support/cli-project";
import { CLI_FLOOR_CELL, COMPAT_MATRIX } from "../support/compat-matrix";
import type { RecordedRequest } from "../support/emr-service-stand-in";
import { CREDENTIALS_TYPE } from "../support/local-stack";
import {
  CLI_BUILD_TIMEOUT_MS,
  type MatrixCell,
  PROVISION_TIMEOUT_MS,
  provisionCellOrSkip,
  pulumiCliOrSkip,
  timingReport,
} from "../support/matrix-cell";
import { clockMovedBy } from "../support/moved-clock";
import { pulumiCliFloor, pulumiVersion } from "../support/pulumi-cli";

/** The default token life (900 s) less the default window (300 s), and a minute more. */
const PAST_RENEW_AT = 900 - 300 + 60;

describe("the compatibility matrix under the real Pulumi CLI", function () {
  this.timeout(240_000);
  const report = timingReport("real CLI timings");

  const runs = [
    ...COMPAT_MATRIX.map((spec) => ({ spec, cliVersion: undefined as string | undefined })),
    { spec: CLI_FLOOR_CELL, cliVersion: pulumiCliFloor() },
  ];
  for (const { spec, cliVersion } of runs) {
    const under = cliVersion === undefined ? "" : ` under pulumi v${cliVersion}, the oldest CLI supported`;
    describe(`@pulumi/pulumi ${spec.pulumiVersion} on Node ${spec.nodeVersion}${under}`, () => {
      let cell: MatrixCell;
      let project: CliProjectStack;
      const standIn = () => project.standIn;
      let binDir: string | undefined;
      const timings: string[] = [];

      /** Runs `pulumi <args>`, timing it, and returns the stand-in's requests meanwhile. */
      async function pulumi(args: string[], env?: NodeJS.ProcessEnv): Promise<RecordedRequest[]> {
        const before = standIn().requests.length;
        const started = performance.now();
        await project.cli.run(args, { env });
        timings.push(`${args[0]}${env ? " (clock moved)" : ""} ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return standIn().requests.slice(before);
      }

      before(async function () {
        this.timeout(PROVISION_TIMEOUT_MS);
        cell = provisionCellOrSkip(this, spec);
        if (cliVersion !== undefined) {
          this.timeout(CLI_BUILD_TIMEOUT_MS);
          binDir = pulumiCliOrSkip(this, cliVersion);
        }
        project = await startCliStack({ program: () => cellProgram(cell), binDir }, "dev", (started) => ({
          "aws:region": REGION,
          [`${cell.project}:virtualClusterId`]: VIRTUAL_CLUSTER_ID,
          [`${cell.project}:endpointId`]: ENDPOINT_ID,
          [`${cell.project}:executionRoleArn`]: EXECUTION_ROLE_ARN,
          [`${cell.project}:apiEndpoint`]: started.standIn.endpoint,
        }));
      });
      after(async () => {
        await project?.dispose();
        if (timings.length === 0) return;
        const install = `${(cell.timings.installMs / 1000).toFixed(1)} s (${cell.timings.cold ? "cold" : "warm"})`;
        report.push(`${cell.name}${under}: npm install ${install}, ${timings.join(", ")}`);
      });

      it("runs the program and the provider with that Node and @pulumi/pulumi, and mints one token on up, a secret output", async () => {
        if (binDir !== undefined) assert.equal(pulumiVersion(binDir), `v${cliVersion}`);
        const requests = await pulumi(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(
          requests.map((r) => r.operation),
          ["GetManagedEndpointSessionCredentials"],
        );
        assert.equal(await project.cli.output("runtime"), `v${spec.nodeVersion} ${spec.pulumiVersion}`);
        // The SDK's user agent names the Node it runs on: the dynamic-provider host's, which minted.
        assert.match(String(requests[0]?.headers["user-agent"]), new RegExp(`md/nodejs#${spec.nodeVersion}( |$)`));
        assert.equal(await project.cli.output("token"), "[secret]");
        assert.equal(await project.cli.output("token", true), standIn().issuedTokens.at(-1));
      });

      it("replaces it on an up past renewAt, minting exactly one more", async () => {
        const oldToken = await project.cli.output("token", true);
        const requests = await pulumi(["up", "--yes", "--skip-preview"], clockMovedBy(PAST_RENEW_AT));
        assert.deepEqual(
          requests.map((r) => r.operation),
          ["GetManagedEndpointSessionCredentials"],
        );
        const newToken = await project.cli.output("token", true);
        assert.equal(newToken, standIn().issuedTokens.at(-1));
        assert.notEqual(newToken, oldToken);
        assert.equal((await project.cli.resources(CREDENTIALS_TYPE)).length, 1, "the old credentials are gone");
      });

      it("sends no request on destroy, and leaves no credentials", async () => {
        assert.deepEqual(await pulumi(["destroy", "--yes"]), []);
        assert.deepEqual(await project.cli.resources(CREDENTIALS_TYPE), []);
      });
    });
  }
});
