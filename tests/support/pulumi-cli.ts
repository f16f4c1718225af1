import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dump } from "js-yaml";
import type { LocalStack } from "./local-stack";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The `pulumi` binary on PATH, if there is one. */
export function pulumiOnPath(): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A `local` stack of a throwaway project for the real CLI; `run` throws with the output when a command fails. */
export interface CliStack {
  run(...args: string[]): string;
  dispose(): void;
}

/**
 * Makes a throwaway project under the gitignored `.test-work/` (so that `node_modules` resolve from
 * the repository) whose `main` is `stack`'s program, a local file backend in a temporary directory,
 * a throwaway passphrase, and a `local` stack with `stack.config` plus settings that keep the AWS
 * provider from reaching AWS while it plans. Nothing is written into the repository's own files.
 */
export function cliStack(pulumi: string, stack: LocalStack, program: string, env: NodeJS.ProcessEnv): CliStack {
  mkdirSync(path.join(REPO_ROOT, ".test-work"), { recursive: true });
  const projectDir = mkdtempSync(path.join(REPO_ROOT, ".test-work", "cli-"));
  const backend = mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-"));
  writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    dump({ name: stack.project, runtime: "nodejs", main: path.relative(projectDir, program) }),
  );
  writeFileSync(
    path.join(projectDir, "tsconfig.json"),
    JSON.stringify({ extends: path.relative(projectDir, path.join(REPO_ROOT, "examples", "tsconfig.json")) }),
  );
  const cliEnv = {
    ...process.env,
    ...env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "throwaway",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const run = (...args: string[]): string => {
    const result = spawnSync(pulumi, [...args, "--non-interactive"], {
      cwd: projectDir,
      env: cliEnv,
      encoding: "utf8",
      timeout: 150_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${output}`);
    return output;
  };
  run("stack", "init", "local");
  const config: Record<string, string> = {
    ...stack.config,
    "aws:skipCredentialsValidation": "true",
    "aws:skipRequestingAccountId": "true",
    "aws:skipMetadataApiCheck": "true",
    "aws:skipRegionValidation": "true",
  };
  for (const [key, value] of Object.entries(config)) run("config", "set", key, value);
  return {
    run,
    dispose: () => {
      rmSync(projectDir, { recursive: true, force: true });
      rmSync(backend, { recursive: true, force: true });
    },
  };
}
