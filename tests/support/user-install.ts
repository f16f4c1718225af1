// Installs the package into a program directory the way `npm install` puts it into a user's
// stack: the tarball `npm pack` makes (which honours `files` in package.json), extracted under
// `node_modules/<name>/`. Nothing but the packed files is there, so a test that loads the package
// from it sees what a user gets, not the repository.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** The repository root (this file compiles to dist/tests/support). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** Where tests keep their scratch directories (gitignored). */
export const TEST_WORK_DIR = path.join(REPO_ROOT, ".test-work");

/** A program directory with the packed package installed, as a user's stack would have it. */
export interface UserInstall {
  /** The scratch directory holding the tarball and the program directory. */
  workDir: string;
  /** The tarball `npm pack` made. */
  tarball: string;
  /** The files the tarball holds, as `npm pack --json` listed them (paths inside the package). */
  packedFiles: string[];
  /** The Pulumi program's directory: `Pulumi.yaml`, `package.json`, `node_modules/<name>/`. */
  programDir: string;
  /** `<programDir>/node_modules/<name>`: the installed package. */
  packageDir: string;
  /** The package's name, from the repository's package.json. */
  packageName: string;
  /** Removes `workDir`. */
  remove(): void;
}

/**
 * Packs the repository with `npm pack` (build first: it packs what `dist/` holds now) into a
 * fresh directory under `.test-work/`, and extracts the tarball into
 * `<workDir>/program/node_modules/<name>/`, beside a `Pulumi.yaml` (project `project`, runtime
 * nodejs) and a `package.json` that depends on the tarball. The package's own dependencies are not
 * installed there: Node finds them by walking up to the repository's `node_modules`, so the
 * program and the package share the repository's single copy of `@pulumi/pulumi`.
 *
 * Throws with npm's or tar's output if either fails; the scratch directory is removed then.
 */
export function installAsUser(options: { project: string; prefix?: string }): UserInstall {
  mkdirSync(TEST_WORK_DIR, { recursive: true });
  const workDir = mkdtempSync(path.join(TEST_WORK_DIR, options.prefix ?? "user-install-"));
  const remove = (): void => rmSync(workDir, { recursive: true, force: true });
  try {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      name: string;
      peerDependencies?: Record<string, string>;
    };
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--pack-destination", workDir, "--json", "--ignore-scripts"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const [result] = packed;
    if (result === undefined) throw new Error("npm pack reported no package");
    const tarball = path.join(workDir, result.filename);

    const programDir = path.join(workDir, "program");
    const packageDir = path.join(programDir, "node_modules", manifest.name);
    mkdirSync(packageDir, { recursive: true });
    // npm's tarballs hold everything under `package/`.
    execFileSync("tar", ["-xzf", tarball, "-C", packageDir, "--strip-components=1"], {
      stdio: ["ignore", "pipe", "pipe"],
    });

    writeFileSync(
      path.join(programDir, "Pulumi.yaml"),
      `name: ${options.project}\nruntime: nodejs\ndescription: A stack that installs ${manifest.name} from its npm tarball.\n`,
    );
    writeFileSync(
      path.join(programDir, "package.json"),
      JSON.stringify(
        {
          name: options.project,
          private: true,
          main: "index.js",
          dependencies: {
            [manifest.name]: `file:../${result.filename}`,
            ...manifest.peerDependencies,
          },
        },
        null,
        2,
      ) + "\n",
    );
    return {
      workDir,
      tarball,
      packedFiles: result.files.map((f) => f.path),
      programDir,
      packageDir,
      packageName: manifest.name,
      remove,
    };
  } catch (err) {
    remove();
    const stderr = (err as { stderr?: string | Buffer }).stderr;
    throw new Error(
      `could not install the package as a user would: ${(err as Error).message}${stderr ? `\n${String(stderr)}` : ""}`,
    );
  }
}
