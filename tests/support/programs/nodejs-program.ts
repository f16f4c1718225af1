// A Node.js Pulumi program, with the package installed as a user installs it, for a CLI project.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Program } from "../cli-project";
import { installAsUser, type InstallLayout, type UserInstall } from "../user-install";

/** A Node.js program whose `node_modules` holds the package. */
export type NodejsProgram = Program & Pick<UserInstall, "packageDir" | "packageName" | "programDir" | "tarball">;

/** What a Node.js program is made of. */
export interface NodejsProgramOptions {
  /** The project's name. */
  project: string;
  /** Files written into the program's directory, by path relative to it (a `Pulumi.yaml` replaces the one made). */
  files: Record<string, string>;
  /** The package's tarball; default this checkout's `npm pack`. */
  tarball?: string;
  /** How npm lays the package out (default `tarball`). */
  layout?: InstallLayout;
}

/**
 * A Node.js program in a new directory under `.test-work/`: `Pulumi.yaml` (runtime nodejs) and a
 * `package.json`, the package installed from its tarball (`installAsUser`), and `files`.
 * `remove` deletes the directory.
 */
export function nodejsProgram(options: NodejsProgramOptions): NodejsProgram {
  const install = installAsUser({
    project: options.project,
    prefix: `${options.project}-`,
    layout: options.layout,
    tarball: options.tarball,
  });
  writeFiles(install.programDir, options.files);
  return {
    project: options.project,
    dir: install.programDir,
    programDir: install.programDir,
    packageDir: install.packageDir,
    packageName: install.packageName,
    tarball: install.tarball,
    remove: () => install.remove(),
  };
}

/** A program's `index.js` that calls `exported` of the compiled module `module` with the package, as the program loads it. */
export function programCalling(module: string, exported: string, packageName: string): string {
  return `require(${JSON.stringify(module)}).${exported}(() => require(${JSON.stringify(packageName)}));\n`;
}

/** Writes `files` (relative path → content) under `dir`, making their directories. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
}
