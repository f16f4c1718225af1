// Puts the packed package into a program directory inside the repository: the tarball `npm pack`
// makes (which honours `files` in package.json), extracted under `node_modules/<name>/`. Only the
// packed files are there, but the package's dependencies come from the repository's `node_modules`
// (so the program and the test share one `@pulumi/pulumi`). For a real `npm install` into a stack
// that inherits nothing, see `matrix-cell.ts`.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { packPackage, TEST_WORK_DIR } from "./packed-package";

/** A program directory with the packed package installed, as a user's stack would have it. */
export interface UserInstall {
  /** The scratch directory holding the program directory. */
  workDir: string;
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
 * Packs the repository (see `packPackage`; build first) and extracts the tarball into
 * `<workDir>/program/node_modules/<name>/` under a fresh directory in `.test-work/`, beside a
 * `Pulumi.yaml` (project `project`, runtime nodejs) and a `package.json` that depends on the
 * tarball. The package's own dependencies are not installed there: Node finds them by walking up
 * to the repository's `node_modules`.
 *
 * Throws with npm's or tar's output if either fails; the scratch directory is removed then.
 */
export function installAsUser(options: { project: string; prefix?: string }): UserInstall {
  mkdirSync(TEST_WORK_DIR, { recursive: true });
  const workDir = mkdtempSync(path.join(TEST_WORK_DIR, options.prefix ?? "user-install-"));
  const remove = (): void => rmSync(workDir, { recursive: true, force: true });
  try {
    const { tarball, manifest } = packPackage();
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
          dependencies: { [manifest.name]: `file:${tarball}`, ...manifest.peerDependencies },
        },
        null,
        2,
      ) + "\n",
    );
    return { workDir, programDir, packageDir, packageName: manifest.name, remove };
  } catch (err) {
    remove();
    const stderr = (err as { stderr?: string | Buffer }).stderr;
    throw new Error(
      `could not install the package as a user would: ${(err as Error).message}${stderr ? `\n${String(stderr)}` : ""}`,
    );
  }
}
