// Where the compatibility matrix keeps what it downloads: Node binaries and whole stacks with their
// own node_modules. Outside the repository, so that nothing installed there can resolve a module
// from the repository's node_modules by walking up.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./packed-package";

/**
 * The cache directory: `$EMR_SESSION_COMPAT_CACHE` if set, else one per checkout under the system's
 * temporary directory (so worktrees on one machine never share, and race on, an install).
 */
export const COMPAT_CACHE_DIR =
  process.env["EMR_SESSION_COMPAT_CACHE"] ??
  path.join(
    os.tmpdir(),
    `pulumi-emr-session-credentials-compat-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12)}`,
  );

/**
 * Why a cell could not be provisioned. Outside CI (`CI` is not `true`) the matrix skips such a cell
 * and says why (the registry may be out of reach); under CI it fails.
 */
export class ProvisioningError extends Error {
  override name = "ProvisioningError";
}

/** True when running under CI (`CI=true`), where a cell that cannot be provisioned is a failure. */
export const UNDER_CI = process.env["CI"] === "true";

/**
 * In a mocha hook, for `error`, met while provisioning `what`: a `ProvisioningError` skips the
 * suite of `context`, saying why, except under `CI=true`; anything else is thrown.
 */
export function skipUnprovisioned(context: Mocha.Context, what: string, error: unknown): never {
  if (!(error instanceof ProvisioningError) || UNDER_CI) throw error;
  console.log(`      skipped, ${what} could not be provisioned (under CI=true this fails): ${error.message}`);
  context.skip();
}

let npmCli: string | undefined;

/** The npm CLI script (`npm-cli.js`) of the npm on PATH, to run under any Node binary. */
export function npmCliScript(): string {
  npmCli ??= path.join(
    execFileSync("npm", ["root", "--global"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim(),
    "npm",
    "bin",
    "npm-cli.js",
  );
  return npmCli;
}

/**
 * Runs `npm install --no-audit --no-fund ...args` in `dir` with the Node binary `node` (so that
 * `engines` are judged against it and install scripts run under it), the environment `env`.
 * Throws a {@link ProvisioningError} with npm's output if it fails.
 */
export function npmInstall(node: string, dir: string, args: string[], env: NodeJS.ProcessEnv): void {
  try {
    execFileSync(node, [npmCliScript(), "install", "--no-audit", "--no-fund", ...args], {
      cwd: dir,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new ProvisioningError(`npm install ${args.join(" ")} failed in ${dir}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}
