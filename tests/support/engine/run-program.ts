import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

/** How long a program may run before the harness kills it. */
const PROGRAM_TIMEOUT_MS = 120_000;

/** How to start a program the way the Node.js language host does. */
export interface ProgramOptions {
  /** Address of the ResourceMonitor and Engine services. */
  address: string;
  project: string;
  stack: string;
  /** The directory holding `Pulumi.yaml`; the program's working directory. */
  programDir: string;
  /** Entry point relative to `programDir` ("." = the directory's index). */
  program: string;
  config: Record<string, string>;
  dryRun: boolean;
  env?: NodeJS.ProcessEnv;
}

/** How a program ended, and everything it printed. */
export interface ProgramExit {
  /** Exit code; 32 means the SDK already logged the error through the engine. */
  code: number | null;
  output: string;
  ms: number;
}

/**
 * Runs a Pulumi program the way `pulumi-language-nodejs` does:
 * `node @pulumi/pulumi/cmd/run --monitor --engine --project --stack --pwd [--dry-run] PROGRAM`
 * with the config in `PULUMI_CONFIG`, TypeScript through ts-node (transpile only)
 * when the entry point is a .ts file or a directory holding `index.ts`.
 * The program is passed as an absolute path (see the gaps in engine.ts).
 * Resolves when it exits; kills it after 120 s.
 */
export function runProgram(opts: ProgramOptions): Promise<ProgramExit> {
  const entry = path.resolve(opts.programDir, opts.program);
  const typeScript = entry.endsWith(".ts") || existsSync(path.join(entry, "index.ts"));
  const args = [
    require.resolve("@pulumi/pulumi/cmd/run"),
    `--monitor=${opts.address}`,
    `--engine=${opts.address}`,
    `--project=${opts.project}`,
    `--stack=${opts.stack}`,
    `--root-directory=${opts.programDir}`,
    `--pwd=${opts.programDir}`,
    ...(opts.dryRun ? ["--dry-run"] : []),
    entry,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    PULUMI_CONFIG: JSON.stringify(opts.config),
    ...(typeScript ? { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}),
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: opts.programDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const timer = setTimeout(() => {
    output += `\nharness: program still running after ${PROGRAM_TIMEOUT_MS} ms; killed\n`;
    child.kill("SIGKILL");
  }, PROGRAM_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}
