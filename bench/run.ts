// `npm run bench`: every performance figure of the package, and its ratio to the floor, measured
// side by side in one run. Figures are printed, never asserted: the tests assert sizes, not times.

import * as path from "node:path";
import { startMotoServer, type MotoServer } from "../tests/support/moto-server";
import { REPO_ROOT } from "../tests/support/packed-package";
import { pulumiVersion } from "../tests/support/pulumi-cli";
import { INSTALL_LAYOUTS, installAsUser, type UserInstall } from "../tests/support/user-install";
import { programCost } from "./program-cost";
import { providerBytes } from "./provider-bytes";
import { languageUpCost, previewCost, throttledUpCost, upCost } from "./real-cli";
import { statusCost } from "./renewal-status";
import { tokenCost } from "./token-cost";

const RESOURCE_COUNTS = [100, 300];
/** Fresh processes per kind and count; the median is reported. */
const PROGRAM_ROUNDS = 5;
/** Creates per kind through the host; the median is reported. */
const TOKEN_ROUNDS = 40;
/** Resources in the stacks the real CLI runs. */
const CLI_RESOURCES = 100;
/** Previews per kind, alternating, after one warm-up each; the median is reported. */
const PREVIEW_ROUNDS = 5;
/** Ups (a new stack each) and AWS CLI batches, alternating; the median is reported. */
const UP_ROUNDS = 3;
/** Stacks `emr-session-credentials status` reads, against a `pulumi preview` of each. */
const STATUS_STACKS = 5;
/** Rounds of each, alternating, after one warm-up; the median is reported. */
const STATUS_ROUNDS = 3;
const TARGETS = {
  programCost: 1.2,
  providerBytes: 1536,
  token: 1.2,
  pluginToken: 1.2,
  pythonUp: 1.3,
  preview: 1.3,
  statusCheaper: 10,
  throttledUp: 1.5,
};
/** Ups of many credentials against a throttling stand-in: count, its rate and burst, and timeoutSeconds if not the default. */
const THROTTLED_UPS = [
  { count: 100, rateLimit: { perSecond: 5, burst: 5 } },
  { count: 30, rateLimit: { perSecond: 10, burst: 10 } },
  { count: 100, rateLimit: { perSecond: 20, burst: 20 } },
  { count: 300, rateLimit: { perSecond: 20, burst: 20 } },
];
/** An up past what `timeoutSeconds` allows: each call waits its turn longer than that. */
const PAST_TIMEOUT = { count: 40, rateLimit: { perSecond: 1, burst: 1 }, timeoutSeconds: 3 };

const ms = (value: number) => `${value.toFixed(2)} ms`;
const ratio = (value: number, target: number) =>
  `${value.toFixed(2)}x (target <= ${target}x: ${value <= target ? "met" : "MISSED"})`;

async function main(): Promise<void> {
  const installs: UserInstall[] = [];
  try {
    for (const layout of INSTALL_LAYOUTS)
      installs.push(installAsUser({ project: "bench", prefix: `bench-${layout}-`, layout }));
    const [registryInstall] = installs;
    if (!registryInstall) throw new Error("no tarball install");
    console.log(`pulumi-emr-session-credentials benchmark, Node ${process.version}, ${new Date().toISOString()}\n`);

    console.log(
      `Program-side cost per resource (declared under Pulumi's mocks, median of ${PROGRAM_ROUNDS} fresh processes each;`,
    );
    console.log("floor: dynamic resources of the same shape sharing one trivial provider object)");
    for (const count of RESOURCE_COUNTS) {
      const cost = programCost(count, registryInstall.packageDir, PROGRAM_ROUNDS);
      console.log(
        `  ${count} resources: credentials ${ms(cost.credentials)}, floor ${ms(cost.trivial)}, ` +
          ratio(cost.credentials / cost.trivial, TARGETS.programCost),
      );
    }

    console.log(`\n__provider bytes stored per resource (target <= ${TARGETS.providerBytes})`);
    for (const install of installs) {
      const bytes = await providerBytes(install.packageDir);
      console.log(`  ${install.layout.padEnd(16)} ${bytes} bytes ${bytes <= TARGETS.providerBytes ? "met" : "MISSED"}`);
    }
    console.log(`  ${"checkout".padEnd(16)} ${await providerBytes(path.join(REPO_ROOT, "dist", "provider"))} bytes`);

    let moto: MotoServer | undefined;
    let motoMissing = "";
    try {
      moto = await startMotoServer();
    } catch (error) {
      motoMissing = (error as Error).message;
    }
    const token = await tokenCost(registryInstall, TOKEN_ROUNDS, moto).finally(() => moto?.close());
    const floor = token.echo + token.sdkCall;
    console.log(
      `\nOne token through Pulumi's dynamic-provider host (median of ${TOKEN_ROUNDS} creates, local stand-in)`,
    );
    console.log(`  credentials create ${ms(token.credentials)}`);
    console.log(
      `  floor in one piece ${ms(token.hostSdkCall)}: a trivial provider's create making the same SDK call, ` +
        "with a reused client, inside the host",
    );
    console.log(`  ${ratio(token.credentials / token.hostSdkCall, TARGETS.token)}`);
    console.log(
      `  through the provider plugin's server (for programs in other languages): ${ms(token.plugin)}, ` +
        `against the dynamic provider's host ${ratio(token.plugin / token.credentials, TARGETS.pluginToken)}`,
    );
    console.log(
      `  floor in two pieces ${ms(floor)} = echo create ${ms(token.echo)} + one SDK call with a reused client ` +
        `from this process ${ms(token.sdkCall)} (misses the host's hop to the service): ` +
        `${(token.credentials / floor).toFixed(2)}x`,
    );
    console.log(
      token.delivered === undefined
        ? `  with deliverTo: MISSED, not measured: ${motoMissing}`
        : `  with deliverTo an SSM parameter (moto): ${ms(token.delivered)}, ` +
            `${(token.delivered / token.credentials).toFixed(2)}x the create without (no target: one more AWS call)`,
    );

    console.log(
      `\nWith the real pulumi CLI ${pulumiVersion()} (file backend, passphrase secrets, local stand-in; ` +
        `${CLI_RESOURCES} resources)`,
    );
    const preview = await previewCost(CLI_RESOURCES, PREVIEW_ROUNDS);
    console.log(
      `  pulumi preview of a new stack (median of ${PREVIEW_ROUNDS}, alternating): credentials ${ms(preview.credentials)}, ` +
        `floor ${ms(preview.trivial)}, ${ratio(preview.credentials / preview.trivial, TARGETS.preview)}`,
    );
    const up = await upCost(CLI_RESOURCES, UP_ROUNDS);
    const perToken = (total: number) => `${ms(total)}, ${ms(total / CLI_RESOURCES)} per token`;
    console.log(
      `  pulumi up --skip-preview --parallel=${up.parallel} (Pulumi's default) creating ${CLI_RESOURCES} tokens ` +
        `(median of ${UP_ROUNDS}, a new stack each): ${perToken(up.up)}`,
    );
    const awsCli = up.awsCli;
    console.log(
      "missing" in awsCli
        ? `  ${CLI_RESOURCES} AWS CLI processes: MISSED, not measured: ${awsCli.missing}`
        : `  ${CLI_RESOURCES} ${awsCli.version} processes, ${up.parallel} at a time (median of ${UP_ROUNDS}): ` +
            `${perToken(awsCli.ms)}; pulumi up is ${(awsCli.ms / up.up).toFixed(1)}x faster (no target)`,
    );

    const languages = await languageUpCost(CLI_RESOURCES, UP_ROUNDS);
    console.log(
      `  pulumi up --skip-preview creating ${CLI_RESOURCES} tokens from a Python program through the plugin ` +
        `(median of ${UP_ROUNDS}, a new stack each, alternating): ${perToken(languages.python)}; from a TypeScript ` +
        `program: ${perToken(languages.typescript)}; ${ratio(languages.python / languages.typescript, TARGETS.pythonUp)}`,
    );

    console.log(
      `\nMany credentials against a service that answers R requests a second in bursts of B and throttles the rest ` +
        `(one pulumi up --skip-preview --parallel=${up.parallel} of N credentials each, a new stack, default limits; ` +
        "the floor is the service's own, (N - B) / R; Pulumi's own is the same up, not throttled)",
    );
    for (const { count, rateLimit } of THROTTLED_UPS) {
      const throttled = await throttledUpCost(count, rateLimit);
      const tokens = throttled.minted === count && throttled.created === count;
      console.log(
        `  N = ${count} at ${rateLimit.perSecond}/s, burst ${rateLimit.burst}: ${ms(throttled.ms)} against ${ms(throttled.floorMs)}, ` +
          `${ratio(throttled.ms / throttled.floorMs, TARGETS.throttledUp)}; not throttled ${ms(throttled.unthrottledMs)}, ` +
          `${(throttled.ms / Math.max(throttled.floorMs, throttled.unthrottledMs)).toFixed(2)}x the larger floor; ${throttled.minted} tokens minted, ` +
          `${throttled.created} credentials created for N = ${count} (${tokens ? "met" : "MISSED"}); ` +
          `${throttled.throttled} attempts throttled${throttled.error === undefined ? "" : `; FAILED: ${throttled.error}`}`,
      );
    }
    const past = await throttledUpCost(PAST_TIMEOUT.count, PAST_TIMEOUT.rateLimit, PAST_TIMEOUT.timeoutSeconds);
    console.log(
      `  past the timeout, N = ${PAST_TIMEOUT.count} at ${PAST_TIMEOUT.rateLimit.perSecond}/s, burst ${PAST_TIMEOUT.rateLimit.burst}, ` +
        `timeoutSeconds ${PAST_TIMEOUT.timeoutSeconds}: the up ${past.error === undefined ? "SUCCEEDED (expected to fail)" : "failed"} ` +
        `after ${ms(past.ms)}, ${past.created} created, ${past.minted} tokens minted; the user saw:\n    ${past.error ?? "no error"}`,
    );

    const status = await statusCost(STATUS_STACKS, STATUS_ROUNDS);
    console.log(
      `  pulumi preview of each of ${status.stacks} stacks in turn (a token, its consumer and one other resource each; ` +
        `median of ${STATUS_ROUNDS}): ${ms(status.previews)}`,
    );
    for (const [how, cost] of [
      ["--all", status.statusAll],
      [`--stack NAME x${status.stacks}`, status.statusNamed],
    ] as const) {
      const cheaper = status.previews / cost;
      console.log(
        `  emr-session-credentials status ${how} (no passphrase): ${ms(cost)}, ${cheaper.toFixed(1)}x cheaper ` +
          `(target >= ${TARGETS.statusCheaper}x: ${cheaper >= TARGETS.statusCheaper ? "met" : "MISSED"})`,
      );
    }
  } finally {
    for (const install of installs) install.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
