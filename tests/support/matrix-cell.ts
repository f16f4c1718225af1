// One cell of the compatibility matrix: a user's stack, in a directory of its own outside the
// repository, into which `npm install` put the packed package and one exact @pulumi/pulumi, run
// with one exact Node binary. Installs are cached by versions and reused while warm.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, copyFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { COMPAT_CACHE_DIR, npmInstall, ProvisioningError, skipUnprovisioned } from "./compat-cache";
import { EmrServiceStandIn } from "./emr-service-stand-in";
import { forSuite } from "./for-suite";
import { nodeBinary } from "./node-binaries";
import { packPackage } from "./packed-package";
import { pulumiBinDir } from "./pulumi-cli";

/** Which versions a cell runs. */
export interface MatrixCellSpec {
  /** The exact @pulumi/pulumi the stack installs, e.g. "3.142.0". */
  pulumiVersion: string;
  /** The exact Node version the stack runs under, e.g. "22.23.3". */
  nodeVersion: string;
}

/** A provisioned cell: a stack directory with its own node_modules and the Node binary to run it with. */
export interface MatrixCell extends MatrixCellSpec {
  /** "@pulumi/pulumi <version> on Node <version>". */
  name: string;
  /** The Pulumi project name in the stack's `Pulumi.yaml`. */
  project: string;
  /** The Node binary of `nodeVersion`. */
  nodeBinary: string;
  /** The stack's directory: `Pulumi.yaml`, `package.json`, `package-lock.json`, `node_modules/`. A program may be added. */
  programDir: string;
  /** `<programDir>/node_modules/<package name>`: the installed package. */
  packageDir: string;
  /** The stack's own `@pulumi/pulumi/cmd/dynamic-provider`, what the engine's nodejs plugin runs. */
  dynamicProviderHost: string;
  /**
   * The environment to run anything of the stack in (the host, a program, the `pulumi` CLI): this
   * process's, with `nodeBinary`'s directory first on PATH (the nodejs language host runs the
   * `node` it finds there) and without NODE_PATH or NODE_OPTIONS.
   */
  env: NodeJS.ProcessEnv;
  /** Runs the cell's Node with `args` in `programDir` and `env`; returns stdout, throws with stderr on failure. */
  node(args: string[]): string;
  /** Wall times of provisioning, in ms; `cold` when the stack had no node_modules before. */
  timings: { nodeMs: number; installMs: number; cold: boolean };
}

/** How long a hook may take to provision a cell: cold, npm downloads @pulumi/pulumi's tree and a Node binary; warm, seconds. */
export const PROVISION_TIMEOUT_MS = 300_000;

const cells = new Map<string, MatrixCell>();

/**
 * Provisions the cell of `spec` once per test process (later calls return the same cell):
 * the Node binary (see `nodeBinary`), then, under `<COMPAT_CACHE_DIR>/stack-pulumi-<v>-node-<v>/`,
 * a `package.json` depending on exactly `@pulumi/pulumi@<pulumiVersion>` and on the tarball of
 * `packPackage()` (named by its digest, so npm reinstalls the package whenever it changed), and
 * `npm install` run under the cell's Node. A warm cell keeps its node_modules and lockfile.
 *
 * Throws a `ProvisioningError` with npm's output if the binary or the install fails.
 */
export function provisionCell(spec: MatrixCellSpec): MatrixCell {
  const key = `stack-pulumi-${spec.pulumiVersion}-node-${spec.nodeVersion}`;
  const existing = cells.get(key);
  if (existing !== undefined) return existing;

  const nodeStarted = performance.now();
  const binary = nodeBinary(spec.nodeVersion);
  const nodeMs = performance.now() - nodeStarted;

  const { tarball, digest, manifest } = packPackage();
  const cellDir = path.join(COMPAT_CACHE_DIR, key);
  const programDir = path.join(cellDir, "stack");
  const project = "compat-stack";
  mkdirSync(programDir, { recursive: true });
  const packed = `${manifest.name}-${digest}.tgz`;
  for (const old of readdirSync(cellDir).filter((f) => f.endsWith(".tgz") && f !== packed)) {
    rmSync(path.join(cellDir, old));
  }
  copyFileSync(tarball, path.join(cellDir, packed));
  writeFileSync(
    path.join(programDir, "Pulumi.yaml"),
    `name: ${project}\nruntime: nodejs\ndescription: ${manifest.name} with @pulumi/pulumi ${spec.pulumiVersion} on Node ${spec.nodeVersion}.\n`,
  );
  writeFileSync(
    path.join(programDir, "package.json"),
    JSON.stringify(
      {
        name: project,
        private: true,
        dependencies: { "@pulumi/pulumi": spec.pulumiVersion, [manifest.name]: `file:../${packed}` },
      },
      null,
      2,
    ) + "\n",
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [path.dirname(binary), process.env["PATH"]].join(path.delimiter),
    NODE_PATH: undefined,
    NODE_OPTIONS: undefined,
  };
  const cold = !existsSync(path.join(programDir, "node_modules"));
  const installStarted = performance.now();
  npmInstall(binary, programDir, [], env);
  const installMs = performance.now() - installStarted;

  const cell: MatrixCell = {
    ...spec,
    name: `@pulumi/pulumi ${spec.pulumiVersion} on Node ${spec.nodeVersion}`,
    project,
    nodeBinary: binary,
    programDir,
    packageDir: path.join(programDir, "node_modules", manifest.name),
    dynamicProviderHost: require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [programDir] }),
    env,
    node: (args) =>
      execFileSync(binary, args, { cwd: programDir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    timings: { nodeMs, installMs, cold },
  };
  cells.set(key, cell);
  return cell;
}

/**
 * `provisionCell(spec)` in a mocha hook: a cell that cannot be provisioned (a `ProvisioningError`)
 * fails under `CI=true`, and elsewhere skips the suite of `context`, saying why. Any other error throws.
 */
export function provisionCellOrSkip(context: Mocha.Context, spec: MatrixCellSpec): MatrixCell {
  return provisionedOrSkip(context, "the cell", () => provisionCell(spec));
}

/** How long a hook may take to build a pulumi CLI from the Go module proxy: cold, minutes of downloads and compiling. */
export const CLI_BUILD_TIMEOUT_MS = 1_200_000;

/**
 * The bin directory of pulumi CLI `version`, built from the Go module proxy on first use by
 * `scripts/setup-pulumi.sh --version` (its progress on stderr), in a mocha hook: a CLI that cannot
 * be built fails under `CI=true`, and elsewhere skips the suite of `context`, saying why.
 */
export function pulumiCliOrSkip(context: Mocha.Context, version: string): string {
  return provisionedOrSkip(context, `pulumi v${version}`, () => {
    try {
      return pulumiBinDir(version);
    } catch (err) {
      throw new ProvisioningError((err as Error).message);
    }
  });
}

function provisionedOrSkip<T>(context: Mocha.Context, what: string, provision: () => T): T {
  try {
    return provision();
  } catch (err) {
    skipUnprovisioned(context, what, err);
  }
}

/** What a matrix suite shares between its cells: one EMR stand-in, and lines of timings to print. */
export interface MatrixSuite {
  /** The stand-in, started before the suite's tests (throws before then). */
  standIn: () => EmrServiceStandIn;
  /** Timing lines, printed under the suite's title after its tests. */
  report: string[];
}

/**
 * Mocha hooks for a suite that runs every cell against one EMR stand-in: starts it before the
 * suite's tests, closes it after them, and prints `report` under `title` (see `timingReport`).
 */
export function matrixSuite(title: string): MatrixSuite {
  const report = timingReport(title);
  const standIn = forSuite(
    () => EmrServiceStandIn.start(),
    (started) => started.close(),
  );
  return { standIn, report };
}

/** Lines of timings that a suite's tests add to, printed under `title` after them (none: nothing printed). */
export function timingReport(title: string): string[] {
  const report: string[] = [];
  after(() => {
    if (report.length > 0) console.log(`      ${title}\n        ${report.join("\n        ")}`);
  });
  return report;
}
