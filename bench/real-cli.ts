// The figures that need the real `pulumi` CLI: a preview and an up of a stack of many resources,
// run by the CLI (file backend, passphrase secrets) on a Pulumi program whose directory has the
// package installed as a user installs it, minting at the local EMR stand-in.

import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, REGION, VIRTUAL_CLUSTER_ID } from "../tests/fixtures/session-inputs";
import { mapLimited } from "../command/map-limited";
import { UNDER_CI } from "../tests/support/compat-cache";
import { startCliProject } from "../tests/support/cli-project";
import type { EmrServiceStandIn, RateLimit } from "../tests/support/emr-service-stand-in";
import { CREDENTIALS_TYPE, OFFLINE_AWS_ENV } from "../tests/support/local-stack";
import { packageName, REPO_ROOT } from "../tests/support/packed-package";
import { nodejsProgram, programCalling } from "../tests/support/programs/nodejs-program";
import { pythonProgram } from "../tests/support/programs/plugin-programs";
import type { CliStack } from "../tests/support/pulumi-cli";
import type { ResourceKind } from "./bench-resources";
import { median, timed } from "./statistics";

/**
 * `pulumi up`'s default `--parallel`: 4 × GOMAXPROCS, which is the number of CPUs unless limited.
 * The benchmark passes it explicitly, and runs the AWS CLI processes as many at a time.
 */
export const PULUMI_DEFAULT_PARALLEL = 4 * os.availableParallelism();

/** The AWS CLI that `npm run setup:bench` installs (`scripts/setup-bench-tools.sh`). */
const AWS_CLI = path.join(REPO_ROOT, ".bench-tools", "awscli", "bin", "aws");

/** Median ms of one `pulumi preview` of a new stack, of credentials and of the floor. */
export interface PreviewCost {
  credentials: number;
  trivial: number;
}

/** The time to mint tokens with `pulumi up`, and with the AWS CLI. */
export interface UpCost {
  /** How many operations or processes ran at a time: `PULUMI_DEFAULT_PARALLEL`. */
  parallel: number;
  /** Median ms of `pulumi up --skip-preview` creating every token on a new stack. */
  up: number;
  /** Median ms of one AWS CLI process per token, and its version; or why it could not run. */
  awsCli: { version: string; ms: number } | { missing: string };
}

/**
 * Times `pulumi preview` of two new stacks of `count` resources each, credentials and the floor
 * (`bench-resources.ts`), alternating, `rounds` times each after one warm-up of each. Throws if a
 * preview plans anything but `count` creates, or sends any request to the service.
 */
export async function previewCost(count: number, rounds: number): Promise<PreviewCost> {
  return withBenchStacks(count, async (standIn, stackOf) => {
    const stacks = {
      trivial: await stackOf("trivial", "trivial"),
      credentials: await stackOf("credentials", "credentials"),
    };
    const samples: Record<ResourceKind, number[]> = { trivial: [], credentials: [] };
    for (let round = 0; round <= rounds; round++) {
      for (const kind of ["trivial", "credentials"] as const) {
        const ms = await timed(async () => {
          const { output } = await stacks[kind].run(["preview"]);
          if (!output.includes(`+ ${count + 1} to create`)) throw new Error(`unexpected preview:\n${output}`);
        });
        if (round > 0) samples[kind].push(ms);
      }
    }
    if (standIn.requests.length > 0) throw new Error("a preview of a new stack sent requests to the service");
    return { credentials: median(samples.credentials), trivial: median(samples.trivial) };
  });
}

/**
 * Times, `rounds` times, alternating: `pulumi up --skip-preview --parallel PULUMI_DEFAULT_PARALLEL`
 * creating `count` credentials on a new stack, and `count` processes of
 * `aws emr-containers get-managed-endpoint-session-credentials` run as many at a time, both minting
 * at the stand-in. Throws if either mints other than `count` tokens, or, under CI, if the AWS CLI
 * is not installed.
 */
export async function upCost(count: number, rounds: number): Promise<UpCost> {
  const parallel = PULUMI_DEFAULT_PARALLEL;
  const version = awsCliVersion();
  return withBenchStacks(count, async (standIn, stackOf) => {
    const minting = async (what: string, run: () => Promise<unknown>): Promise<number> => {
      const before = standIn.issuedTokens.length;
      const ms = await timed(run);
      const minted = standIn.issuedTokens.length - before;
      if (minted !== count) throw new Error(`${what} minted ${minted} tokens, not ${count}`);
      return ms;
    };
    const ups: number[] = [];
    const awsCli: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const stack = await stackOf("credentials", `up-${round}`);
      ups.push(
        await minting("pulumi up", () => stack.run(["up", "--yes", "--skip-preview", `--parallel=${parallel}`])),
      );
      if (version !== undefined)
        awsCli.push(
          await minting("the AWS CLI", () =>
            mapLimited(Array.from({ length: count }), parallel, () => mintWithAwsCli(standIn)),
          ),
        );
    }
    return {
      parallel,
      up: median(ups),
      awsCli:
        version === undefined
          ? { missing: `${AWS_CLI} is missing; npm run setup:bench installs it` }
          : { version, ms: median(awsCli) },
    };
  });
}

/** The time to create credentials with `pulumi up` from a program in each language. */
export interface LanguageUpCost {
  /** Median ms of the up of the Python program (bench/python), through the provider plugin. */
  python: number;
  /** Median ms of the up of the TypeScript program (`benchProgram`), through the dynamic provider. */
  typescript: number;
}

/**
 * Times, `rounds` times, alternating: `pulumi up --skip-preview` creating `count` credentials on
 * a new stack of the TypeScript benchmark program (the dynamic provider) and of the Python one
 * (bench/python: the provider plugin, set up with `pulumi package add` as a Python user does),
 * each minting at a stand-in of its own, at Pulumi's default parallelism. Throws if an up mints
 * other than `count` tokens.
 */
export async function languageUpCost(count: number, rounds: number): Promise<LanguageUpCost> {
  const python = await startCliProject({
    program: (context) => pythonProgram(context, path.join(REPO_ROOT, "bench", "python")),
  });
  try {
    return await withBenchStacks(count, async (standIn, stackOf) => {
      const up = async (stack: CliStack, minter: EmrServiceStandIn): Promise<number> => {
        const before = minter.issuedTokens.length;
        const ms = await timed(() =>
          stack.run(["up", "--yes", "--skip-preview", `--parallel=${PULUMI_DEFAULT_PARALLEL}`]),
        );
        if (minter.issuedTokens.length - before !== count) throw new Error(`an up minted other than ${count} tokens`);
        return ms;
      };
      const times: Record<keyof LanguageUpCost, number[]> = { python: [], typescript: [] };
      for (let round = 0; round < rounds; round++) {
        times.typescript.push(await up(await stackOf("credentials", `language-ts-${round}`), standIn));
        const stack = await python.stack(`language-python-${round}`, {
          "bench:count": String(count),
          "bench:apiEndpoint": python.standIn.endpoint,
        });
        times.python.push(await up(stack, python.standIn));
      }
      return { python: median(times.python), typescript: median(times.typescript) };
    });
  } finally {
    await python.dispose();
  }
}

/** One `pulumi up` of many credentials against a throttling service. */
export interface ThrottledUp {
  /** ms the up took. */
  ms: number;
  /** The service's own floor for `count` requests, in ms: (count - burst) / perSecond. */
  floorMs: number;
  /** Pulumi's own floor, in ms: the same up on another new stack, the service not throttling. */
  unthrottledMs: number;
  /** Tokens the service minted, credentials in the state after the up, and attempts it throttled. */
  minted: number;
  created: number;
  throttled: number;
  /** The first error line the up printed, when it failed. */
  error?: string;
}

/**
 * Times one `pulumi up --skip-preview --parallel PULUMI_DEFAULT_PARALLEL` creating `count`
 * credentials on a new stack, at a stand-in that answers `rateLimit.perSecond` requests a second in
 * bursts of `rateLimit.burst` and throttles the rest, the credentials at their default limits or
 * with `timeoutSeconds`; and, before it, the same up on another new stack, the service not throttling
 * (Pulumi's own floor). A failed up is reported, not thrown.
 */
export async function throttledUpCost(
  count: number,
  rateLimit: RateLimit,
  timeoutSeconds?: number,
): Promise<ThrottledUp> {
  return withBenchStacks(count, async (standIn, stackOf) => {
    // Stack names of their own: a stack's config file (`Pulumi.<stack>.yaml`) stays in the program directory.
    const name = `${count}-${rateLimit.perSecond}-${timeoutSeconds ?? "default"}`;
    const up = async (stack: CliStack): Promise<{ ms: number; output: string }> => {
      if (timeoutSeconds !== undefined) await stack.setConfig({ "bench:timeoutSeconds": String(timeoutSeconds) });
      let output = "";
      const ms = await timed(async () => {
        ({ output } = await stack.run(["up", "--yes", "--skip-preview", `--parallel=${PULUMI_DEFAULT_PARALLEL}`], {
          allowFailure: true,
        }));
      });
      return { ms, output };
    };
    const unthrottled = await up(await stackOf("credentials", `unthrottled-${name}`));
    standIn.reset();
    const stack = await stackOf("credentials", `throttled-${name}`);
    standIn.throttle(rateLimit);
    const { ms, output } = await up(stack);
    const error = /error: (ManagedEndpointSessionCredentials .*)/.exec(output)?.[1];
    return {
      ms,
      floorMs: ((count - rateLimit.burst) / rateLimit.perSecond) * 1000,
      unthrottledMs: unthrottled.ms,
      minted: standIn.issuedTokens.length,
      created: (await stack.resources(CREDENTIALS_TYPE)).length,
      throttled: standIn.requests.filter((r) => r.status === 400).length,
      ...(error === undefined ? {} : { error }),
    };
  });
}

type StackOf = (kind: ResourceKind, name: string) => Promise<CliStack>;

/**
 * Starts a project of the one builder (`tests/support/cli-project.ts`) running the benchmark's
 * program (`benchProgram`), and runs `work` with its EMR stand-in and a maker of stacks of `count`
 * resources of a kind minting at it; disposes of the project, stacks and all, afterwards.
 */
async function withBenchStacks<T>(
  count: number,
  work: (standIn: EmrServiceStandIn, stackOf: StackOf) => Promise<T>,
): Promise<T> {
  const project = await startCliProject({
    program: () =>
      nodejsProgram({
        project: "bench",
        files: {
          "index.js": programCalling(path.join(__dirname, "bench-resources.js"), "benchProgram", packageName()),
        },
      }),
  });
  const stackOf: StackOf = (kind, name) =>
    project.stack(name, {
      "bench:kind": kind,
      "bench:count": String(count),
      "bench:apiEndpoint": project.standIn.endpoint,
    });
  try {
    return await work(project.standIn, stackOf);
  } finally {
    await project.dispose();
  }
}

/** The installed AWS CLI's version (`aws-cli/1.46.3`); undefined when missing, but throws under CI. */
function awsCliVersion(): string | undefined {
  if (!existsSync(AWS_CLI)) {
    if (UNDER_CI) throw new Error(`${AWS_CLI} is missing: npm run setup:bench could not install awscli`);
    return undefined;
  }
  return execFileSync(AWS_CLI, ["--version"], { encoding: "utf8" }).split(" ")[0];
}

/** One `aws emr-containers get-managed-endpoint-session-credentials` process, minting at `standIn`. */
async function mintWithAwsCli(standIn: EmrServiceStandIn): Promise<void> {
  await promisify(execFile)(
    AWS_CLI,
    [
      ...["emr-containers", "get-managed-endpoint-session-credentials"],
      ...["--endpoint-url", standIn.endpoint, "--region", REGION],
      ...["--virtual-cluster-identifier", VIRTUAL_CLUSTER_ID, "--endpoint-identifier", ENDPOINT_ID],
      ...["--execution-role-arn", EXECUTION_ROLE_ARN, "--credential-type", "TOKEN"],
    ],
    { env: { ...process.env, ...OFFLINE_AWS_ENV } },
  );
}
