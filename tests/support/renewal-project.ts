// A Pulumi project of several stacks sharing one file backend, run by the real CLI, with the
// package installed from its tarball (its `bin` linked as npm links it) and the program of
// `tests/fixtures/renewal-program.ts` minting at the local EMR stand-in: what the command
// `emr-session-credentials` is tested against.

import { spawn } from "node:child_process";
import * as path from "node:path";
import { startCliProject, type CliProject } from "./cli-project";
import { clockMovedBy } from "./moved-clock";
import { packageName } from "./packed-package";
import { nodejsProgram, programCalling } from "./programs/nodejs-program";
import type { CliResult, CliStack } from "./pulumi-cli";
import { linkBins } from "./user-install";

/** The project's name, the namespace of its config. */
export const RENEWAL_PROJECT = "emr-renewal";

/** A stack of the project: its name and its config (without the project's namespace). */
export interface RenewalStackConfig {
  name: string;
  durationInSeconds: number;
  renewBeforeSeconds: number;
  /** The credentials' `timeoutSeconds`; default the package's. */
  timeoutSeconds?: number;
}

/** How to run the command once. */
export interface CommandRun {
  /** Move the clock of the command and of every process it starts this many seconds ahead. */
  clockSeconds?: number;
  /** Keep `PULUMI_CONFIG_PASSPHRASE` (default: unset, as a monitoring job has no secrets provider). */
  passphrase?: boolean;
  /** Run with a `PATH` that has `node` but no `pulumi`. */
  withoutPulumi?: boolean;
  /** The directory to run in; default the project's. */
  cwd?: string;
  /** A directory to put first on `PATH` (such as a `pulumi` that gates `up`). */
  pathFirst?: string;
  /** Called with everything written to standard error so far, each time more is. */
  watchStderr?: (stderr: string) => void;
}

/** The project, its stacks and the EMR stand-in they mint at. */
export interface RenewalProject extends CliProject {
  /** `node_modules/.bin/emr-session-credentials` of the project, linked as npm links it. */
  bin: string;
  /** Runs the installed `emr-session-credentials` with `args` to its end (four minutes at most). */
  command(args: string[], run?: CommandRun): Promise<CliResult>;
  /** Runs `pulumi args` exactly as `command` would run the command: the same environment and directory. */
  pulumi(args: string[], run?: CommandRun): Promise<CliResult>;
  /** Sets config of a stack (keys without the project's namespace). */
  setConfig(stack: string, config: Record<string, string>): Promise<void>;
  /** How many updates `pulumi stack history` lists for a stack. */
  historyLength(stack: string): Promise<number>;
  /** A stack's plain outputs of resource `name` (any type), from its stored state. */
  outputsOf(stack: string, name: string): Promise<Record<string, unknown>>;
}

/**
 * A project of the one builder (`cli-project.ts`) running `renewalProgram` with the package's
 * `bin` linked, whose stacks `stacks` are made and upped in turn (sequentially: `stack init`
 * selects the stack it makes). The last one made is the selected stack.
 */
export async function startRenewalProject(stacks: readonly RenewalStackConfig[]): Promise<RenewalProject> {
  const program = path.join(__dirname, "..", "fixtures", "renewal-program.js");
  let bin: string | undefined;
  const project = await startCliProject({
    program: () => {
      const made = nodejsProgram({
        project: RENEWAL_PROJECT,
        files: { "index.js": programCalling(program, "renewalProgram", packageName()) },
      });
      bin = linkBins(made)["emr-session-credentials"];
      return made;
    },
  });
  try {
    if (bin === undefined) throw new Error("the package has no emr-session-credentials bin");
    for (const stack of stacks) {
      const cli = await project.stack(
        stack.name,
        namespaced({
          apiEndpoint: project.standIn.endpoint,
          durationInSeconds: String(stack.durationInSeconds),
          renewBeforeSeconds: String(stack.renewBeforeSeconds),
          ...(stack.timeoutSeconds === undefined ? {} : { timeoutSeconds: String(stack.timeoutSeconds) }),
        }),
      );
      await cli.run(["up", "--yes", "--skip-preview", "--stack", stack.name]);
    }
    const any = Object.values(project.stacks)[0];
    if (any === undefined) throw new Error("a renewal project needs a stack");
    const stackOf = (name: string): CliStack => {
      const stack = project.stacks[name];
      if (stack === undefined) throw new Error(`no stack ${name}`);
      return stack;
    };
    const programDir = project.program.dir;
    const command = bin;
    return {
      ...project,
      bin: command,
      command: (args, run = {}) => runCommand(command, args, any.env, programDir, run),
      pulumi: (args, run = {}) => runCommand("pulumi", args, any.env, programDir, run),
      setConfig: (stack, config) => stackOf(stack).setConfig(namespaced(config)),
      historyLength: async (stack) => {
        const { stdout } = await stackOf(stack).run(["stack", "history", "--json", "--stack", stack]);
        return (JSON.parse(stdout) as unknown[]).length;
      },
      outputsOf: async (stack, name) => {
        const resources = (await stackOf(stack).exportState()).deployment.resources ?? [];
        const found = resources.find((r) => r.urn.endsWith(`::${name}`) && r.delete !== true);
        if (found === undefined) throw new Error(`stack ${stack} has no resource ${name}`);
        return found.outputs ?? {};
      },
    };
  } catch (error) {
    await project.dispose();
    throw error;
  }
}

/** `config` with every key in the project's namespace. */
function namespaced(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [`${RENEWAL_PROJECT}:${key}`, value]));
}

/**
 * Runs `executable args` (found on the environment's `PATH`) in the program directory, with the
 * stacks' environment as `run` adjusts it; never throws for an exit code.
 */
export function runCommand(
  executable: string,
  args: string[],
  stackEnv: NodeJS.ProcessEnv,
  programDir: string,
  run: CommandRun,
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...stackEnv,
    ...(run.clockSeconds === undefined ? {} : clockMovedBy(run.clockSeconds)),
    ...(run.withoutPulumi ? { PATH: path.dirname(process.execPath) + path.delimiter + "/usr/bin:/bin" } : {}),
  };
  if (run.pathFirst !== undefined) env["PATH"] = `${run.pathFirst}${path.delimiter}${env["PATH"] ?? ""}`;
  if (!run.passphrase) {
    delete env["PULUMI_CONFIG_PASSPHRASE"];
    delete env["PULUMI_CONFIG_PASSPHRASE_FILE"];
  }
  const child = spawn(executable, args, { cwd: run.cwd ?? programDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    run.watchStderr?.(stderr);
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
  return new Promise<CliResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}
