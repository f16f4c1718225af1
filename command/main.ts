#!/usr/bin/env node
// emr-session-credentials: says which session tokens of a Pulumi project's stacks are due for
// renewal (`status`), and renews only those (`renew`). See the README's section of that name.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { systemClock, type Clock } from "../provider/lifecycle/renewal";
import { parseDuration } from "./duration";
import { ExitCode } from "./exit-code";
import { CommandFailure } from "./failure";
import { renewJson, renewTable, statusJson, statusTable } from "./format";
import { openProject } from "./pulumi-project";
import { realTiming } from "./busy-wait";
import { renewStacks } from "./renew";
import { stacksDue, statusExitCode } from "./status";

/** What the command runs against: its directory, its clock and where it writes. */
export interface CommandEnvironment {
  /** The Pulumi project's directory. */
  workDir: string;
  clock: Clock;
  /** Writes to standard output (text as given, newlines included). */
  stdout: (text: string) => void;
  /** Writes to standard error (text as given, newlines included). */
  stderr: (text: string) => void;
}

/** `renew` runs this many stacks' ups at once unless `--parallel` says otherwise. */
export const DEFAULT_PARALLEL = 2;

/** How long `renew` waits for another update holding a stack unless `--wait` says otherwise: 10 minutes. */
export const DEFAULT_WAIT_SECONDS = 600;

/** The flags both subcommands take, as commander parses them. */
interface SharedFlags {
  stack: string[];
  all: boolean;
  within: number;
  json: boolean;
}

/** `--within`'s parser: a duration in seconds, or commander's error for a bad one (exit 1). */
function durationArgument(text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** `--parallel`'s parser: a whole number of at least 1. */
function parallelArgument(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1)
    throw new InvalidArgumentError(`"${text}" is not a whole number of stacks, 1 or more`);
  return count;
}

/** Adds the flags `status` and `renew` share to `command`. */
function withSharedFlags(command: Command): Command {
  return command
    .option(
      "--stack <name>",
      "a stack to check (repeat for several; default: the selected stack)",
      (name: string, names: string[]) => [...names, name],
      [],
    )
    .addOption(new Option("--all", "every stack of the project").conflicts("stack").default(false))
    .option(
      "--within <duration>",
      "count as due what renews within this time: 90m, 2h, 3600s, 1d or seconds",
      durationArgument,
      0,
    )
    .option("--json", "print JSON instead of a table", false);
}

/** The package's version, from its package.json (two levels above this compiled file). */
function packageVersion(): string {
  const manifest = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * Runs the command with arguments `argv` (without `node` and the script) in `env`, and resolves
 * with its exit code: `ExitCode.Ok`, `Due` (status: something is due within the horizon) or
 * `Failed` (bad flags, no project, no CLI, an unknown stack, a stack that failed to renew or
 * that another update held past `--wait`), the
 * failure said in one line on standard error. Never prints a token: states are read without
 * their secrets decrypted.
 */
export async function main(argv: readonly string[], env: CommandEnvironment): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = new Command("emr-session-credentials")
    .description(
      "Which EMR on EKS session tokens of this Pulumi project's stacks are due for renewal, and renew only those.",
    )
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: env.stdout, writeErr: env.stderr });

  withSharedFlags(
    program
      .command("status")
      .description(
        "List each stack's credentials with their renewAt, expiresAt and time left; exit 2 when any is due.",
      ),
  ).action(async (flags: SharedFlags) => {
    const stacks = await stacksDue(openProject(env.workDir), { ...flags, withinSeconds: flags.within }, env.clock);
    env.stdout(`${flags.json ? statusJson(stacks) : statusTable(stacks, flags.within)}\n`);
    exitCode = statusExitCode(stacks);
  });

  withSharedFlags(
    program
      .command("renew")
      .description(
        "Run pulumi up for the stacks with credentials due, and only those; exit 1 when any failed or stayed busy.",
      ),
  )
    .option("--targeted", "update only the due credentials and their dependents (--target, --target-dependents)", false)
    .option("--parallel <count>", "how many stacks to update at once", parallelArgument, DEFAULT_PARALLEL)
    .option(
      "--wait <duration>",
      "how long to wait for another update that holds a stack (0: not at all); default 10m",
      durationArgument,
      DEFAULT_WAIT_SECONDS,
    )
    .action(async (flags: SharedFlags & { targeted: boolean; parallel: number; wait: number }) => {
      const project = openProject(env.workDir);
      const progress = (line: string): void => env.stderr(`${line}\n`);
      const renewals = await renewStacks(
        project,
        { ...flags, withinSeconds: flags.within, waitSeconds: flags.wait },
        { ...realTiming, clock: env.clock },
        progress,
      );
      env.stdout(`${flags.json ? renewJson(renewals) : renewTable(renewals)}\n`);
      exitCode = renewals.some((r) => r.outcome === "failed" || r.outcome === "busy") ? ExitCode.Failed : ExitCode.Ok;
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    // Commander has said what was wrong (or printed the help or version) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Failed;
    const message = error instanceof CommandFailure ? error.message : String((error as Error).message ?? error);
    env.stderr(`emr-session-credentials: ${message.split("\n")[0]}\n`);
    return ExitCode.Failed;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    workDir: process.cwd(),
    clock: systemClock,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
