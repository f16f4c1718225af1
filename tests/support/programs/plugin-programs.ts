// The examples in Python, YAML and Go that use the provider plugin (examples/python, yaml, go),
// each set up as the README tells a user of that language to: the package installed from its
// tarball into the project's node_modules (as `npm install pulumi-emr-session-credentials` puts
// it), then the plugin made known to Pulumi the language's way.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Program, ProgramContext } from "../cli-project";
import { ProvisioningError } from "../compat-cache";
import { REPO_ROOT } from "../packed-package";
import { installAsUser, linkBins, type UserInstall } from "../user-install";
import { writeFiles } from "./nodejs-program";

/** The directory of `examples/<name>`. */
export function exampleDir(name: string): string {
  return path.join(REPO_ROOT, "examples", name);
}

const run = promisify(execFile);

/**
 * Runs `command args` in `cwd` with `env`; rejects with its output, naming `what` failed. The
 * output is kept on failure only: nothing the setup prints is a test's business.
 */
async function setupStep(
  what: string,
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    await run(command, args, { cwd, env, maxBuffer: 1 << 26 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${what} failed: ${(error as Error).message}\n${stdout}\n${stderr}`);
  }
}

/**
 * Throws a `ProvisioningError` (which fails under `CI=true` and skips elsewhere, saying why) when
 * the CLI in `binDir` has no language host for `language`.
 */
function requireLanguageHost(context: ProgramContext, language: string): void {
  if (!existsSync(path.join(context.binDir, `pulumi-language-${language}`))) {
    throw new ProvisioningError(
      `no Pulumi language host for ${language} beside ${path.join(context.binDir, "pulumi")}: npm run setup:pulumi ` +
        "builds it from ../shared/pulumi-language-hosts when it builds the CLI; a pulumi installation carries it",
    );
  }
}

/**
 * The package installed into a new program directory, its bins linked as npm links them, and the
 * program's files in `sourceDir` (but its stack config) copied beside them.
 */
function installedProgram(sourceDir: string): { project: string; install: UserInstall; bins: Record<string, string> } {
  const project = /^name: (\S+)$/m.exec(readFileSync(path.join(sourceDir, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
  const install = installAsUser({ project, prefix: `${project}-` });
  const files = readdirSync(sourceDir).filter((file) => !/^Pulumi\..+\.yaml$/.test(file));
  writeFiles(
    install.programDir,
    Object.fromEntries(files.map((file) => [file, readFileSync(path.join(sourceDir, file), "utf8")])),
  );
  return { project, install, bins: linkBins(install) };
}

/**
 * Makes the program of `language` in `sourceDir` with `prepare`, which may return environment its
 * commands need; removes what it made if that fails.
 */
async function pluginProgram(
  language: string,
  sourceDir: string,
  context: ProgramContext,
  prepare: (made: ReturnType<typeof installedProgram>) => Promise<NodeJS.ProcessEnv | undefined>,
): Promise<Program> {
  requireLanguageHost(context, language);
  const made = installedProgram(sourceDir);
  try {
    const env = await prepare(made);
    return { project: made.project, dir: made.install.programDir, env, remove: () => made.install.remove() };
  } catch (error) {
    made.install.remove();
    throw error;
  }
}

/**
 * The Python program in `sourceDir` (default examples/python), with `pulumi package add` of the
 * plugin's directory in the package, which generates the SDK into `sdks/`, records the package in
 * `Pulumi.yaml` and installs both into the project's virtualenv with the `pulumi` of its
 * requirements.txt (pip, from PyPI).
 */
export function pythonProgram(context: ProgramContext, sourceDir = exampleDir("python")): Promise<Program> {
  return pluginProgram("python", sourceDir, context, async ({ install }) => {
    const plugin = `./node_modules/${install.packageName}/pulumi-plugin`;
    await setupStep(
      `pulumi package add ${plugin}`,
      "pulumi",
      ["package", "add", plugin],
      install.programDir,
      context.env,
    );
    return undefined;
  });
}

/**
 * examples/yaml, with the plugin's executable installed into the plugin cache: `pulumi plugin
 * install resource emr-session-credentials <version> --file
 * node_modules/.bin/pulumi-resource-emr-session-credentials`.
 */
export function yamlExample(context: ProgramContext): Promise<Program> {
  return pluginProgram("yaml", exampleDir("yaml"), context, async ({ install, bins }) => {
    const executable = path.relative(install.programDir, bins["pulumi-resource-emr-session-credentials"] ?? "");
    const { version } = JSON.parse(readFileSync(path.join(install.packageDir, "package.json"), "utf8")) as {
      version: string;
    };
    const args = ["plugin", "install", "resource", "emr-session-credentials", version, "--file", executable];
    await setupStep(`pulumi ${args.join(" ")}`, "pulumi", args, install.programDir, context.env);
    return undefined;
  });
}

/**
 * examples/go, built with the package's Go SDK (its go.mod replaces the SDK's module with
 * `node_modules/pulumi-emr-session-credentials/sdk/go`; `go mod tidy` run), the plugin's
 * executable on the `PATH` of its commands (the package's `node_modules/.bin`).
 */
export function goExample(context: ProgramContext): Promise<Program> {
  return pluginProgram("go", exampleDir("go"), context, async ({ install }) => {
    const goEnv = { ...context.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" };
    await setupStep("go mod tidy", "go", ["mod", "tidy"], install.programDir, goEnv);
    const bin = path.join(install.programDir, "node_modules", ".bin");
    return { GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local", PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}` };
  });
}
