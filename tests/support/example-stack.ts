// An example's `local` stack under the real CLI (see `cli-project.ts`): its config with
// `apiEndpoint` pointed at the project's EMR stand-in, and the AWS provider (and any other provider
// package asked for, such as `kubernetes`) played by recording stand-ins. Either an example
// installed as a user's stack (the package from its npm tarball) or the repository's root project
// as a newcomer runs it.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { forSuite } from "./for-suite";
import { startCliStack, type CliProjectStack, type Program } from "./cli-project";
import { localStack, type LocalStack } from "./local-stack";
import { skipWithoutMoto } from "./moto-server";
import { REPO_ROOT } from "./packed-package";
import type { RecordingProvider } from "./plugins/recording-provider";
import { nodejsProgram, writeFiles } from "./programs/nodejs-program";

/** An example's project under the real CLI, and its `local` stack (`cli`). */
export interface ExampleStack extends CliProjectStack {
  /** The stand-in of the AWS provider plugin, recording what the engine sent it. */
  aws: RecordingProvider;
}

/** How an example's stack is run. */
export interface ExampleStackOptions {
  /** Provider packages to play beside `aws` (such as `kubernetes`). */
  play?: readonly string[];
  /** Start moto's server for its SSM and Secrets Manager calls. */
  moto?: boolean;
  /** The EMR stand-in's port; default a free one. */
  port?: number;
  /** Stack config set over the `local` stack's. */
  config?: Record<string, string>;
}

/** Starts the project of `program` and makes its `local` stack from `local`, minting at the project's stand-in. */
async function startLocalStack(
  local: LocalStack,
  program: () => Program,
  options: ExampleStackOptions,
): Promise<ExampleStack> {
  const example = await startCliStack(
    { program, play: ["aws", ...(options.play ?? [])], moto: options.moto, standIn: { port: options.port } },
    "local",
    (project) => ({ ...local.config, ...options.config, [`${local.project}:apiEndpoint`]: project.standIn.endpoint }),
  );
  return { ...example, aws: example.providers["aws"] as RecordingProvider };
}

/**
 * `examples/<name>` as a user's stack: the package installed from its tarball, the example's
 * `Pulumi.yaml` and `index.ts` beside it, its `local` config. Nothing has run yet.
 */
export function startExampleStack(name: string, options: ExampleStackOptions = {}): Promise<ExampleStack> {
  const exampleDir = path.join(REPO_ROOT, "examples", name);
  const local = localStack(exampleDir);
  const example = (file: string): string => readFileSync(path.join(exampleDir, file), "utf8");
  return startLocalStack(
    local,
    () => {
      const program = nodejsProgram({
        project: local.project,
        files: { "Pulumi.yaml": example("Pulumi.yaml"), "index.ts": example("index.ts") },
      });
      const examplesConfig = path.join(REPO_ROOT, "examples", "tsconfig.json");
      writeFiles(program.dir, {
        "tsconfig.json": JSON.stringify({ extends: path.relative(program.dir, examplesConfig) }),
      });
      return program;
    },
    options,
  );
}

/**
 * Mocha hooks for a suite whose tests share one example stack: `startExampleStack(name, options)`
 * before them, `dispose` after (with `moto`, skipped outside CI where moto is missing). Returns a
 * getter for the stack, which throws until it has started.
 */
export function exampleStackForSuite(name: string, options: ExampleStackOptions = {}): () => ExampleStack {
  return forSuite(
    () => startExampleStack(name, options),
    (example) => example.dispose(),
    options.moto ? skipWithoutMoto : undefined,
  );
}

/**
 * The repository's root project (`Pulumi.yaml`, whose `main` is the quickstart) as `pulumi up`
 * at the root runs it, in a copy under the system's temporary directory whose `examples/` and
 * `node_modules/` link to the repository's, so that the stack writes nothing into the repository
 * (a user who may not write there can run it).
 */
export function startRootStack(options: Pick<ExampleStackOptions, "port" | "config"> = {}): Promise<ExampleStack> {
  const local = localStack(REPO_ROOT);
  return startLocalStack(
    local,
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "emr-session-root-"));
      copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      for (const link of ["examples", "node_modules"]) symlinkSync(path.join(REPO_ROOT, link), path.join(dir, link));
      return { project: local.project, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
    },
    options,
  );
}
