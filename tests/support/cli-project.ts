// The one way the tests (and the benchmark) stand up a Pulumi project under the real CLI: a
// program directory in some language with the package available to it, the local EMR stand-in it
// mints at, moto's server where asked, recording stand-ins of the provider plugins that cannot be
// built here, and stacks of the project in a file backend of its own; `dispose` stops and removes
// all of it, and ends every process its commands left running.
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { forSuite } from "./for-suite";
import { EmrServiceStandIn, type RateLimit } from "./emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./local-stack";
import { skipWithoutMoto, startMotoServer, type MotoServer } from "./moto-server";
import { readManifest } from "./packed-package";
import { debugProvidersEnv, startRecordingProvider, type RecordingProvider } from "./plugins/recording-provider";
import { CliStack, offlineCliEnv, pulumiBinDir } from "./pulumi-cli";

/** A Pulumi program's directory, ready for the CLI: its project, and the package available to it. */
export interface Program {
  /** The project's name (`name` in its `Pulumi.yaml`): the namespace of its config. */
  project: string;
  /** The directory holding `Pulumi.yaml`. */
  dir: string;
  /** Environment every command of the program needs (a virtualenv, a Node binary first on `PATH`). */
  env?: NodeJS.ProcessEnv;
  /** Removes what was made for the program; a directory it did not make is left alone. */
  remove(): void;
}

/** What a program is made with: the CLI and the environment its project's commands run in. */
export interface ProgramContext {
  /** The directory of the CLI (`pulumi` and its language hosts). */
  binDir: string;
  /** The environment of the project's commands (see `offlineCliEnv`), for a program made with the CLI's help. */
  env: NodeJS.ProcessEnv;
}

/** What a project is made of, besides its program. */
export interface CliProjectOptions {
  /** Makes the program directory (called first: no server has started yet). */
  program: (context: ProgramContext) => Program | Promise<Program>;
  /** The EMR stand-in's port (default a free one) and the rate past which it throttles (default none). */
  standIn?: { port?: number; rateLimit?: RateLimit };
  /** Start moto's server, and point the SDK's SSM and Secrets Manager calls at it. */
  moto?: boolean;
  /**
   * Provider packages whose plugins are played by recording stand-ins (such as `aws`, `kubernetes`),
   * each at the version of `@pulumi/<pkg>` in package.json; with `aws`, the stacks' config keeps the
   * AWS provider from reaching AWS.
   */
  play?: readonly string[];
  /** Extra environment for every command. */
  env?: NodeJS.ProcessEnv;
  /** The directory of the CLI to run (default `pulumiBinDir()`). */
  binDir?: string;
}

/** A project under the real CLI, with everything it talks to. */
export interface CliProject {
  program: Program;
  /** The EMR on EKS stand-in its credentials mint at. */
  standIn: EmrServiceStandIn;
  /** moto's server; throws unless the project was made with `moto`. */
  moto(): MotoServer;
  /** The recording stand-in of each provider plugin played, by package. */
  providers: Readonly<Record<string, RecordingProvider>>;
  /** The stacks made so far, by name. */
  stacks: Readonly<Record<string, CliStack>>;
  /**
   * Makes stack `name` of the project (`pulumi stack init`, which selects it) with `config` set as
   * plain text, in the project's file backend; throws with the CLI's output if that fails.
   */
  stack(name: string, config?: Record<string, string>): Promise<CliStack>;
  /** Ends what the stacks' commands left running, stops every server and removes the stacks and the program. */
  dispose(): Promise<void>;
}

/** Settings that keep the AWS provider from reaching AWS; harmless to its recording stand-in. */
const AWS_OFFLINE_CONFIG = {
  "aws:skipCredentialsValidation": "true",
  "aws:skipRequestingAccountId": "true",
  "aws:skipMetadataApiCheck": "true",
  "aws:skipRegionValidation": "true",
};

/**
 * The version of the provider plugin of package `pkg` (such as `aws`) that programs use: that of
 * `@pulumi/<pkg>` in the repository's package.json, which the stand-in of the plugin reports.
 */
function providerVersion(pkg: string): string {
  const { dependencies, devDependencies } = readManifest();
  const version = devDependencies?.[`@pulumi/${pkg}`] ?? dependencies?.[`@pulumi/${pkg}`];
  if (version === undefined) throw new Error(`package.json does not depend on @pulumi/${pkg}`);
  return version;
}

/**
 * Makes the program, then starts the EMR stand-in, moto's server and the recording providers that
 * `options` ask for. Every command of the project's stacks runs offline: fake static AWS
 * credentials, EMR calls without an `endpoint` sent to the stand-in (`AWS_ENDPOINT_URL_EMR_CONTAINERS`),
 * a file backend and `PULUMI_HOME` of the project's own, a throwaway passphrase.
 * If anything fails to start, what had started is stopped and removed before the error is thrown.
 */
export async function startCliProject(options: CliProjectOptions): Promise<CliProject> {
  const home = mkdtempSync(path.join(os.tmpdir(), "pulumi-project-"));
  const binDir = options.binDir ?? pulumiBinDir();
  const servers: { close(): Promise<void> }[] = [];
  const stacks: Record<string, CliStack> = {};
  let program: Program | undefined;
  const dispose = async (): Promise<void> => {
    for (const stack of Object.values(stacks)) stack.dispose();
    await Promise.all(servers.map((server) => server.close()));
    rmSync(home, { recursive: true, force: true });
    program?.remove();
  };
  try {
    const made = await options.program({
      binDir,
      env: offlineCliEnv(home, binDir, { ...OFFLINE_AWS_ENV, ...options.env }),
    });
    program = made;
    const standIn = await EmrServiceStandIn.start(options.standIn);
    servers.push(standIn);
    let moto: MotoServer | undefined;
    if (options.moto) {
      moto = await startMotoServer();
      servers.push(moto);
    }
    const providers: Record<string, RecordingProvider> = {};
    for (const pkg of new Set(options.play)) {
      providers[pkg] = await startRecordingProvider(pkg, providerVersion(pkg));
      servers.push(providers[pkg]);
    }
    const env: NodeJS.ProcessEnv = {
      ...made.env,
      ...OFFLINE_AWS_ENV,
      // The SDK's own setting: EMR calls with no `endpoint` go to the stand-in, never to AWS.
      AWS_ENDPOINT_URL_EMR_CONTAINERS: standIn.endpoint,
      ...moto?.env,
      ...options.env,
      ...(options.play?.length ? debugProvidersEnv(...Object.values(providers)) : {}),
    };
    const playedConfig = options.play?.includes("aws") ? AWS_OFFLINE_CONFIG : {};
    return {
      program: made,
      standIn,
      moto: () => {
        if (moto === undefined) throw new Error(`project ${made.project} was made without moto`);
        return moto;
      },
      providers,
      stacks,
      async stack(name, config = {}) {
        const stack = await CliStack.init({
          programDir: made.dir,
          stack: name,
          config: { ...playedConfig, ...config },
          env,
          binDir,
          home,
        });
        stacks[name] = stack;
        return stack;
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** A project and the one stack its tests run. */
export interface CliProjectStack extends CliProject {
  /** The stack. */
  cli: CliStack;
}

/**
 * `startCliProject(options)`, then its stack `name` with the config `config(project)` gives (it
 * may name the project's stand-in). If making the stack fails, the project is disposed of.
 */
export async function startCliStack(
  options: CliProjectOptions,
  name: string,
  config: (project: CliProject) => Record<string, string>,
): Promise<CliProjectStack> {
  const project = await startCliProject(options);
  try {
    return { ...project, cli: await project.stack(name, config(project)) };
  } catch (error) {
    await project.dispose();
    throw error;
  }
}

/**
 * Mocha hooks for a suite whose tests share one project: `startCliProject(options)` before them,
 * `dispose` after (see `forSuite`); where moto is asked for but missing, the suite fails under
 * `CI=true` and is skipped elsewhere, saying why. Returns a getter for the project.
 */
export function cliProjectForSuite(options: CliProjectOptions): () => CliProject {
  return forSuite(
    () => startCliProject(options),
    (project) => project.dispose(),
    options.moto ? skipWithoutMoto : undefined,
  );
}
