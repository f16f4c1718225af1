// The package as npm publishes it: the tarball `npm pack` makes from what `dist/` holds now.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The repository root (this file compiles to dist/tests/support). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The previous release, as `npm pack` made it (the package before its provider was laid out by
 * concern): what users' stacks and programs were written with.
 */
export const PREVIOUS_RELEASE_TARBALL = path.join(
  REPO_ROOT,
  "tests",
  "fixtures",
  "releases",
  "pulumi-emr-session-credentials-0.1.0-e55af37.tgz",
);

/** Where tests keep their scratch directories (gitignored). */
export const TEST_WORK_DIR = path.join(REPO_ROOT, ".test-work");

/** The repository's package.json, as far as the tests read it. */
export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The tarball `npm pack` made, and what it holds. */
export interface PackedPackage {
  /** Absolute path of the tarball, under `.test-work/packed/`. */
  tarball: string;
  /** The first 16 hex digits of the tarball's SHA-256: changes whenever its content does. */
  digest: string;
  /** The files the tarball holds, as `npm pack --json` listed them (paths inside the package). */
  files: string[];
  /** The repository's package.json. */
  manifest: Manifest;
}

let packed: PackedPackage | undefined;

/** Reads the repository's package.json. */
export function readManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
}

/** The package's name, from the repository's package.json. */
export function packageName(): string {
  return readManifest().name;
}

/**
 * Packs the repository with `npm pack --ignore-scripts` (build first: it packs what `dist/` holds
 * now) into `.test-work/packed/`, once per test process; later calls return the same tarball.
 * Throws with npm's output if packing fails.
 */
export function packPackage(): PackedPackage {
  if (packed !== undefined) return packed;
  const destination = path.join(TEST_WORK_DIR, "packed");
  mkdirSync(destination, { recursive: true });
  let stdout: string;
  try {
    stdout = execFileSync("npm", ["pack", "--pack-destination", destination, "--json", "--ignore-scripts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    throw new Error(`npm pack failed: ${(err as Error).message}\n${String((err as { stderr?: unknown }).stderr)}`);
  }
  const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (result === undefined) throw new Error("npm pack reported no package");
  const tarball = path.join(destination, result.filename);
  packed = {
    tarball,
    digest: createHash("sha256").update(readFileSync(tarball)).digest("hex").slice(0, 16),
    files: result.files.map((f) => f.path).sort(),
    manifest: readManifest(),
  };
  return packed;
}
