// The real Pulumi CLI, engine and Node.js language host, as `npm run setup:pulumi` finds or builds
// them, run against a local file backend with passphrase secrets and nothing reaching the network.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./packed-package";
import { processesWithEnv, type RunningProcess } from "./processes";

const SETUP_SCRIPT = path.join(REPO_ROOT, "scripts", "setup-pulumi.sh");
const binDirs = new Map<string, string>();

/**
 * The directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`:
 * the last line of `scripts/setup-pulumi.sh`, which builds them on first use (minutes) and answers
 * at once afterwards, saying what it found or built, with progress, on this process's stderr.
 * Without `version`, the pulumi on PATH if supported, else the script's build; with it, exactly
 * that release, built from the Go module proxy (`--version`). Throws when they can be neither
 * found nor built.
 */
export function pulumiBinDir(version?: string): string {
  const key = version ?? "";
  let dir = binDirs.get(key);
  if (dir === undefined) {
    const args = version === undefined ? [SETUP_SCRIPT] : [SETUP_SCRIPT, "--version", version];
    const result = spawnSync("bash", args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (result.status !== 0) throw new Error(`bash ${args.join(" ")} failed (its output is above)`);
    dir = result.stdout.trim().split("\n").at(-1) ?? "";
    binDirs.set(key, dir);
  }
  return dir;
}

/** `PULUMI_FLOOR` of `scripts/setup-pulumi.sh`: the oldest pulumi CLI the package supports, such as `3.142.0`. */
export function pulumiCliFloor(): string {
  const floor = /^PULUMI_FLOOR=(\S+)$/m.exec(readFileSync(SETUP_SCRIPT, "utf8"))?.[1];
  if (floor === undefined) throw new Error(`${SETUP_SCRIPT} sets no PULUMI_FLOOR`);
  return floor;
}

/**
 * The environment a `pulumi` command runs with offline: this process's, then `env`; the CLI of
 * `binDir` first on `PATH` (before `env`'s `PATH`, if it has one, else this process's); a file
 * backend (`<home>/backend`) and `PULUMI_HOME` (`<home>/home`) of `home`'s; a throwaway passphrase;
 * no update check and no plugin download.
 */
export function offlineCliEnv(home: string, binDir: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...env,
    PATH: `${binDir}${path.delimiter}${env["PATH"] ?? process.env["PATH"] ?? ""}`,
    PULUMI_HOME: path.join(home, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(home, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "throwaway passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // ts-node only transpiles: `npm run build` type-checks the examples already, and checking
    // @pulumi/aws's types again at every run of a program took seconds.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
}

/** The result of one `pulumi` command. */
export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr, in that order. */
  output: string;
}

/** A `pulumi` command under way. */
export interface RunningCommand {
  /** Settles when it has ended, as `run` does. */
  done: Promise<CliResult>;
  /**
   * Kills it and every process it started at once, as a lost machine would: SIGKILL to its process
   * group, and to the plugins the engine started in process groups of their own (the language host,
   * the program, the dynamic-provider host), which would otherwise run on (see `CliStack.processes`).
   */
  kill(): void;
}

/** How to run one `pulumi` command. */
export interface RunOptions {
  /** Extra environment for this command only, such as `clockMovedBy(...)`. */
  env?: NodeJS.ProcessEnv;
  /** Return a failed command's result instead of throwing. */
  allowFailure?: boolean;
  /** Kill it after this many ms (default: 240 s, a hang's limit). */
  killAfterMs?: number;
}

/** What a stack is made of: its program directory (with `Pulumi.yaml`), its name and config. */
export interface CliStackOptions {
  programDir: string;
  stack: string;
  /** Stack config, set as plain text with `pulumi config set-all`. */
  config: Record<string, string>;
  /**
   * Environment for every command (offline AWS settings, `PULUMI_DEBUG_PROVIDERS`); its `PATH`, if
   * any, replaces this process's (which `node` the language host runs), after the CLI's own bin dir.
   */
  env?: NodeJS.ProcessEnv;
  /** The directory of the CLI to run (see `pulumiBinDir`); default `pulumiBinDir()`. */
  binDir?: string;
  /**
   * The directory of the file backend and `PULUMI_HOME`, for stacks of one project that share
   * them (the caller removes it); default a new one, removed by `dispose`. Commands given to `run`
   * then act on the selected stack unless they pass `--stack`; this class's own pass it always.
   */
  home?: string;
}

/**
 * A stack of the real CLI in `programDir`, with its own file backend and `PULUMI_HOME` in a
 * temporary directory and a throwaway passphrase. Every command's output is kept in `transcript`.
 */
export class CliStack {
  /** Everything every command printed, in order. */
  readonly transcript: string[] = [];
  /** The file backend's directory (`PULUMI_BACKEND_URL=file://...`). */
  readonly backendDir: string;
  private readonly home: string;
  /** The environment every command runs with: the CLI on `PATH`, the backend, the passphrase. */
  readonly env: NodeJS.ProcessEnv;
  private readonly bin: string;

  private constructor(readonly options: CliStackOptions) {
    this.home = options.home ?? mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
    this.backendDir = path.join(this.home, "backend");
    mkdirSync(this.backendDir, { recursive: true });
    const bin = options.binDir ?? pulumiBinDir();
    this.bin = bin;
    this.env = offlineCliEnv(this.home, bin, options.env);
  }

  /** Makes the stack (`pulumi stack init`) and sets its config. */
  static async init(options: CliStackOptions): Promise<CliStack> {
    const stack = new CliStack(options);
    try {
      await stack.run(["stack", "init", options.stack]);
      await stack.setConfig(options.config);
    } catch (error) {
      stack.dispose();
      throw error;
    }
    return stack;
  }

  /** Sets stack config values as plain text. */
  async setConfig(config: Record<string, string>): Promise<void> {
    const pairs = Object.entries(config).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]);
    if (pairs.length > 0) await this.run(["config", "set-all", "--stack", this.options.stack, ...pairs]);
  }

  /**
   * Starts `pulumi <args> --non-interactive` in the program directory, in a process group of its
   * own, and returns at once. Asynchronous, so that servers in this process (the EMR stand-in)
   * keep answering while it runs.
   */
  start(args: string[], options: RunOptions = {}): RunningCommand {
    const child = spawn(path.join(this.bin, "pulumi"), [...args, "--non-interactive"], {
      cwd: this.options.programDir,
      env: { ...this.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = (): void => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      this.killProcesses();
    };
    const timer = setTimeout(kill, options.killAfterMs ?? 240_000);
    const done = new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code ?? -1));
    })
      .finally(() => clearTimeout(timer))
      .then((status) => {
        const output = `${stdout}\n${stderr}`;
        this.transcript.push(`$ pulumi ${args.join(" ")}\n${output}`);
        if (status !== 0 && !options.allowFailure) {
          throw new Error(`pulumi ${args.join(" ")} exited with ${status}:\n${output}`);
        }
        return { status, stdout, stderr, output };
      });
    return { done, kill };
  }

  /** Runs `pulumi <args>` (see `start`) to its end; rejects with the output if it fails. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return this.start(args, options).done;
  }

  /** `pulumi stack export`: the checkpoint, secrets as ciphertext. */
  async exportState(): Promise<StackExport> {
    return JSON.parse((await this.run(["stack", "export", "--stack", this.options.stack])).stdout) as StackExport;
  }

  /** The resources in the checkpoint of type `type`. */
  async resources(type: string): Promise<ExportedResource[]> {
    return ((await this.exportState()).deployment.resources ?? []).filter((r) => r.type === type);
  }

  /** `pulumi stack output <name>`, with or without `--show-secrets`. */
  async output(name: string, showSecrets = false): Promise<string> {
    const args = ["stack", "output", name, ...(showSecrets ? ["--show-secrets"] : []), "--stack", this.options.stack];
    return (await this.run(args)).stdout.trim();
  }

  /** The text of every file in the backend directory (state, history, backups, locks). */
  backendText(): string {
    return filesUnder(this.backendDir)
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
  }

  /**
   * The processes still running that this stack's commands started: those whose environment
   * carries this stack's own `PULUMI_HOME`. Empty once every
   * command has ended, unless one was killed and its plugins outlived it.
   */
  processes(): RunningProcess[] {
    return processesWithEnv(`PULUMI_HOME=${this.env["PULUMI_HOME"] ?? ""}`);
  }

  /** Kills (SIGKILL) every process of `processes()`. */
  killProcesses(): void {
    for (const { pid } of this.processes()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // ended meanwhile
      }
    }
  }

  /**
   * Kills any process its commands left running (see `processes`), and removes the backend and
   * `PULUMI_HOME`, unless they are shared (`home` given).
   */
  dispose(): void {
    this.killProcesses();
    if (this.options.home === undefined) rmSync(this.home, { recursive: true, force: true });
  }
}

/** A resource as `pulumi stack export` shows it. */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  additionalSecretOutputs?: string[];
  delete?: boolean;
}

/** What `pulumi stack export` prints. */
export interface StackExport {
  deployment: {
    resources?: ExportedResource[];
    pending_operations?: { resource: ExportedResource; type: string }[];
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** `pulumi version` of the CLI in `binDir` (default `pulumiBinDir()`), such as `v3.274.1`. */
export function pulumiVersion(binDir = pulumiBinDir()): string {
  return execFileSync(path.join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim();
}
