// A Pulumi project run by the real CLI against local stand-ins: its `local` stack config with
// `apiEndpoint` pointed at an EMR stand-in, and the AWS provider (and any other provider package
// asked for, such as `kubernetes`) played by recording stand-ins the engine attaches to. Either an example installed as a user's stack (the package from its npm
// tarball) or the repository's root project as a newcomer runs it.
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmrServiceStandIn } from "./emr-service-stand-in";
import { localStack, OFFLINE_AWS_ENV, startStandInFor, type LocalStack } from "./local-stack";
import { debugProvidersEnv, startRecordingProvider, type RecordingProvider } from "./plugins/recording-provider";
import { CliStack } from "./pulumi-cli";
import { readManifest, REPO_ROOT } from "./packed-package";
import { installAsUser } from "./user-install";

/**
 * The version of the provider plugin of package `pkg` (such as `aws`) that the examples use: that of
 * `@pulumi/<pkg>` in the repository's package.json, which the stand-in of the plugin reports.
 */
function providerVersion(pkg: string): string {
  const { dependencies, devDependencies } = readManifest();
  const version = devDependencies?.[`@pulumi/${pkg}`] ?? dependencies?.[`@pulumi/${pkg}`];
  if (version === undefined) throw new Error(`package.json does not depend on @pulumi/${pkg}`);
  return version;
}

/** Settings that keep the AWS provider from reaching AWS; harmless to the stand-in. */
const AWS_OFFLINE_CONFIG = {
  "aws:skipCredentialsValidation": "true",
  "aws:skipRequestingAccountId": "true",
  "aws:skipMetadataApiCheck": "true",
  "aws:skipRegionValidation": "true",
};

/** A project running under the real CLI, with everything it talks to. */
export interface ExampleStack {
  cli: CliStack;
  /** The EMR on EKS stand-in its credentials are minted at. */
  standIn: EmrServiceStandIn;
  /** The stand-in of the AWS provider plugin, recording what the engine sent it. */
  aws: RecordingProvider;
  /** The stand-in of every provider plugin played, by package: `aws` and those asked for. */
  providers: Readonly<Record<string, RecordingProvider>>;
  /** Stops the stand-ins and removes the stack, its backend and the program directory. */
  dispose(): Promise<void>;
}

/** Where an example's stack lives and the stand-ins it needs. */
interface StackSetup {
  stack: LocalStack;
  programDir: string;
  removeProgram(): void;
  /** The EMR stand-in's port; default a free one. */
  port?: number;
  /** Provider packages played beside `aws`. */
  play?: readonly string[];
  /** Extra environment for every command, such as moto's endpoints. */
  env?: NodeJS.ProcessEnv;
}

async function startStack(setup: StackSetup): Promise<ExampleStack> {
  const started: { close(): Promise<void> }[] = [];
  let cli: CliStack | undefined;
  const dispose = async (): Promise<void> => {
    cli?.dispose();
    await Promise.all(started.map((s) => s.close()));
    setup.removeProgram();
  };
  try {
    const standIn = await startStandInFor(setup.stack, { port: setup.port });
    started.push(standIn);
    const providers: Record<string, RecordingProvider> = {};
    for (const pkg of new Set(["aws", ...(setup.play ?? [])])) {
      const provider = await startRecordingProvider(pkg, providerVersion(pkg));
      started.push(provider);
      providers[pkg] = provider;
    }
    const aws = providers["aws"] as RecordingProvider;
    cli = await CliStack.init({
      programDir: setup.programDir,
      stack: "local",
      config: { ...setup.stack.config, ...AWS_OFFLINE_CONFIG },
      env: { ...OFFLINE_AWS_ENV, ...setup.env, ...debugProvidersEnv(...Object.values(providers)) },
    });
    return { cli, standIn, aws, providers, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** How an example's stack is run: provider packages played beside `aws`, and extra environment. */
export interface ExampleStackOptions {
  /** Provider packages to play beside `aws` (such as `kubernetes`). */
  play?: readonly string[];
  /** Extra environment for every command, read when the stack starts (such as moto's endpoints). */
  env?: () => NodeJS.ProcessEnv;
}

/**
 * `examples/<name>` as a user's stack: the package installed from its tarball (`installAsUser`),
 * the example's `Pulumi.yaml` and `index.ts` beside it, its `local` config. Nothing has run yet.
 * `options.play`: provider packages to play beside `aws`, each at the version of `@pulumi/<pkg>`
 * in package.json; throws if package.json has none.
 */
export async function startExampleStack(name: string, options: ExampleStackOptions = {}): Promise<ExampleStack> {
  const exampleDir = path.join(REPO_ROOT, "examples", name);
  const stack = localStack(exampleDir);
  const install = installAsUser({ project: stack.project, prefix: `${name}-` });
  for (const file of ["Pulumi.yaml", "index.ts"]) {
    copyFileSync(path.join(exampleDir, file), path.join(install.programDir, file));
  }
  writeFileSync(
    path.join(install.programDir, "tsconfig.json"),
    JSON.stringify({ extends: path.relative(install.programDir, path.join(REPO_ROOT, "examples", "tsconfig.json")) }),
  );
  return startStack({
    stack,
    programDir: install.programDir,
    play: options.play,
    env: options.env?.(),
    removeProgram: () => install.remove(),
  });
}

/**
 * Mocha hooks for a suite whose tests share one example stack: `startExampleStack(name, options)`
 * before them, `dispose` after. Returns a getter for the stack, which throws until it has started.
 */
export function exampleStackForSuite(name: string, options: ExampleStackOptions = {}): () => ExampleStack {
  let example: ExampleStack | undefined;
  before(async () => {
    example = await startExampleStack(name, options);
  });
  after(async () => {
    await example?.dispose();
  });
  return () => {
    if (example === undefined) throw new Error(`the ${name} example's stack has not started`);
    return example;
  };
}

/**
 * The repository's root project (`Pulumi.yaml`, whose `main` is the quickstart) as `pulumi up`
 * at the root runs it, in a copy under the system's temporary directory whose `examples/` and
 * `node_modules/` link to the repository's, so that the stack writes nothing into the repository
 * (a user who may not write there can run it). `port`: the EMR stand-in's; `config`: stack config
 * set over the `local` stack's.
 */
export async function startRootStack(
  options: { port?: number; config?: Record<string, string> } = {},
): Promise<ExampleStack> {
  const programDir = mkdtempSync(path.join(os.tmpdir(), "emr-session-root-"));
  copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(programDir, "Pulumi.yaml"));
  for (const link of ["examples", "node_modules"]) symlinkSync(path.join(REPO_ROOT, link), path.join(programDir, link));
  const stack = localStack(REPO_ROOT);
  Object.assign(stack.config, options.config);
  return startStack({
    stack,
    programDir,
    port: options.port,
    removeProgram: () => rmSync(programDir, { recursive: true, force: true }),
  });
}
