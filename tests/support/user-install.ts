// Installs the package into a program directory the way npm puts it into a user's stack, in each
// layout npm makes: the tarball `npm pack` makes (which honours `files` in package.json) extracted
// under `node_modules/<name>/`, or the same files as an npm workspace member or a `file:`
// directory, linked into `node_modules/` as npm links them. Nothing but the packed files is there,
// so a test that loads the package from it sees what a user gets, not the repository.

import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";

import { packPackage, TEST_WORK_DIR } from "./packed-package";

/**
 * How the package reaches the program, as npm lays it out:
 * - `tarball`: a registry or tarball install, the files extracted into `node_modules/<name>/`;
 * - `workspace`: an npm workspace whose members are the package (`packages/<name>/`) and the
 *   program (`infra/`), the package linked as `<root>/node_modules/<name>` → `../packages/<name>`;
 * - `file-dependency`: the program depends on `file:../<name>`, linked as
 *   `node_modules/<name>` → `../../<name>`.
 *
 * In the last two Node loads the package from its real path, outside any `node_modules`.
 */
export type InstallLayout = "tarball" | "workspace" | "file-dependency";

/** Every layout, in the order tests and the benchmark report them. */
export const INSTALL_LAYOUTS: readonly InstallLayout[] = ["tarball", "workspace", "file-dependency"];

/** A program directory with the packed package installed, as a user's stack would have it. */
export interface UserInstall {
  layout: InstallLayout;
  /** The scratch directory holding the program directory (and, by layout, the package). */
  workDir: string;
  /** The tarball `npm pack` made, shared by every install of this test process. */
  tarball: string;
  /** The files the tarball holds, as `npm pack --json` listed them (paths inside the package). */
  packedFiles: string[];
  /** The Pulumi program's directory: `Pulumi.yaml`, `package.json`. */
  programDir: string;
  /** `node_modules/<name>` where the program finds the package: a directory, or a link to one. */
  packageDir: string;
  /** The package's name, from the repository's package.json. */
  packageName: string;
  /** Removes `workDir`. */
  remove(): void;
}

/**
 * Packs the repository (see `packPackage`; build first) and installs its tarball (or `tarball`), in a fresh
 * directory under `.test-work/`, in `layout` (default `tarball`) beside a
 * program: a `Pulumi.yaml` (project `project`, runtime nodejs) and a `package.json` that depends
 * on the package as that layout does. The links are made as npm makes them, without running npm,
 * so nothing is fetched. The package's own dependencies are not installed: Node finds them by
 * walking up to the repository's `node_modules`, so the program and the package share the
 * repository's single copy of `@pulumi/pulumi`.
 *
 * Throws with npm's or tar's output if either fails; the scratch directory is removed then.
 */
export function installAsUser(options: {
  project: string;
  prefix?: string;
  layout?: InstallLayout;
  /** The package's tarball; default this checkout's (`packPackage`). */
  tarball?: string;
}): UserInstall {
  const layout = options.layout ?? "tarball";
  mkdirSync(TEST_WORK_DIR, { recursive: true });
  const workDir = mkdtempSync(path.join(TEST_WORK_DIR, options.prefix ?? "user-install-"));
  const remove = (): void => rmSync(workDir, { recursive: true, force: true });
  try {
    const packed = packPackage();
    const { manifest } = packed;
    const tarball = options.tarball ?? packed.tarball;
    const files = options.tarball === undefined ? packed.files : tarballFiles(tarball);
    const name = manifest.name;

    const { programDir, packageDir, dependency } = {
      tarball: () => {
        const programDir = path.join(workDir, "program");
        const packageDir = path.join(programDir, "node_modules", name);
        extract(tarball, packageDir);
        return { programDir, packageDir, dependency: `file:${tarball}` };
      },
      workspace: () => {
        extract(tarball, path.join(workDir, "packages", name));
        writeJson(path.join(workDir, "package.json"), {
          name: `${options.project}-monorepo`,
          private: true,
          workspaces: ["packages/*", "infra"],
        });
        const programDir = path.join(workDir, "infra");
        const packageDir = link(path.join(workDir, "node_modules", name), path.join("..", "packages", name));
        link(path.join(workDir, "node_modules", "infra"), path.join("..", "infra"));
        return { programDir, packageDir, dependency: "*" };
      },
      "file-dependency": () => {
        extract(tarball, path.join(workDir, name));
        const programDir = path.join(workDir, "program");
        const packageDir = link(path.join(programDir, "node_modules", name), path.join("..", "..", name));
        return { programDir, packageDir, dependency: `file:../${name}` };
      },
    }[layout]();

    mkdirSync(programDir, { recursive: true });
    writeFileSync(
      path.join(programDir, "Pulumi.yaml"),
      `name: ${options.project}\nruntime: nodejs\ndescription: A stack that installs ${name} (${layout} layout).\n`,
    );
    writeJson(path.join(programDir, "package.json"), {
      name: options.project,
      private: true,
      main: "index.js",
      dependencies: { [name]: dependency, ...manifest.peerDependencies },
    });
    return {
      layout,
      workDir,
      tarball,
      packedFiles: files,
      programDir,
      packageDir,
      packageName: name,
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

/** Extracts an npm tarball (everything under `package/`) into `dir`, creating it. */
export function extract(tarball: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1"], { stdio: ["ignore", "pipe", "pipe"] });
}

/** The files an npm tarball holds, paths inside the package, sorted. */
function tarballFiles(tarball: string): string[] {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.startsWith("package/") && !line.endsWith("/"))
    .map((line) => line.slice("package/".length))
    .sort();
}

/** Makes `linkPath` a relative directory link to `target`, as npm links workspace and `file:` packages. */
function link(linkPath: string, target: string): string {
  mkdirSync(path.dirname(linkPath), { recursive: true });
  symlinkSync(target, linkPath, "dir");
  return linkPath;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Links the package's `bin` entries (package.json) into `<programDir>/node_modules/.bin/` and makes
 * their files executable, as `npm install` does; returns each link's path by command name.
 */
export function linkBins(install: Pick<UserInstall, "packageDir" | "programDir">): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(install.packageDir, "package.json"), "utf8")) as {
    bin?: Record<string, string>;
  };
  const links: Record<string, string> = {};
  for (const [command, file] of Object.entries(manifest.bin ?? {})) {
    const binDir = path.join(install.programDir, "node_modules", ".bin");
    chmodSync(path.join(install.packageDir, file), 0o755);
    links[command] = link(path.join(binDir, command), path.relative(binDir, path.join(install.packageDir, file)));
  }
  return links;
}
