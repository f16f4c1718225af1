// A Pulumi project run by the real CLI against local stand-ins: its `local` stack config with
// `apiEndpoint` pointed at an EMR stand-in, and the AWS provider played by a recording stand-in
// the engine attaches to. Either an example installed as a user's stack (the package from its npm
// tarball) or the repository's root project as a newcomer runs it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { EmrServiceStandIn } from "./emr-service-stand-in";
import { localStack, OFFLINE_AWS_ENV, startStandInFor, type LocalStack } from "./local-stack";
import { debugProvidersEnv, startRecordingProvider, type RecordingProvider } from "./plugins/recording-provider";
import { CliStack } from "./pulumi-cli";
import { REPO_ROOT, TEST_WORK_DIR } from "./packed-package";
import { installAsUser } from "./user-install";

/** The version of `@pulumi/aws` the examples use, which the stand-in AWS provider reports. */
const AWS_PROVIDER_VERSION = "7.48.0";

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
    const aws = await startRecordingProvider("aws", AWS_PROVIDER_VERSION);
    started.push(aws);
    cli = await CliStack.init({
      programDir: setup.programDir,
      stack: "local",
      config: { ...setup.stack.config, ...AWS_OFFLINE_CONFIG },
      env: { ...OFFLINE_AWS_ENV, ...debugProvidersEnv(aws) },
    });
    return { cli, standIn, aws, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * `examples/<name>` as a user's stack: the package installed from its tarball (`installAsUser`),
 * the example's `Pulumi.yaml` and `index.ts` beside it, its `local` config. Nothing has run yet.
 */
export async function startExampleStack(name: string): Promise<ExampleStack> {
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
  return startStack({ stack, programDir: install.programDir, removeProgram: () => install.remove() });
}

/**
 * The repository's root project (`Pulumi.yaml`, whose `main` is the quickstart) as `pulumi up`
 * at the root runs it, in a copy whose `examples/` links to the repository's, so that the stack's
 * files are written to the copy and not into the repository. `port`: the EMR stand-in's.
 */
export async function startRootStack(port?: number): Promise<ExampleStack> {
  mkdirSync(TEST_WORK_DIR, { recursive: true });
  const programDir = mkdtempSync(path.join(TEST_WORK_DIR, "root-"));
  copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(programDir, "Pulumi.yaml"));
  symlinkSync(path.join(REPO_ROOT, "examples"), path.join(programDir, "examples"));
  return startStack({
    stack: localStack(REPO_ROOT),
    programDir,
    port,
    removeProgram: () => rmSync(programDir, { recursive: true, force: true }),
  });
}
