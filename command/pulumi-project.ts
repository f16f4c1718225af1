import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { CommandFailure, pulumiErrorLine } from "./failure";

/** The names a Pulumi project file may have, as the CLI looks for them. */
const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];

/** What is said when no `pulumi` is on `PATH`. */
const CLI_MISSING =
  "the pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add it to PATH";

/** The Automation API's view of the project: the `pulumi` CLI found on `PATH`, and the workspace. */
export interface AutomationWorkspace {
  pulumi: PulumiCommand;
  workspace: LocalWorkspace;
  /**
   * `LocalWorkspace.selectStack` of a stack of the project, with this CLI; every command of the
   * stack runs with `envVars` added to this process's environment.
   */
  selectStack: (stackName: string, envVars?: Record<string, string>) => Promise<Stack>;
}

/** The Pulumi project the command runs in. */
export interface PulumiProject {
  /** The project's directory (with `Pulumi.yaml`). */
  workDir: string;
  /**
   * The Automation API's workspace of the project, made on first use: loading the Automation API
   * costs a few hundred milliseconds that reading named stacks' states does without. Throws a
   * `CommandFailure` when the CLI is missing or does not run.
   */
  automation(): Promise<AutomationWorkspace>;
}

/** Which stacks a subcommand works on, as its flags say. */
export interface StackSelection {
  /** `--stack NAME`, each time given. */
  stack: string[];
  /** `--all`: every stack of the project. */
  all: boolean;
}

/** The project in `workDir`; throws a `CommandFailure` when it holds no Pulumi project file. */
export function openProject(workDir: string): PulumiProject {
  if (!PROJECT_FILES.some((file) => existsSync(path.join(workDir, file))))
    throw new CommandFailure(
      `${workDir} is not a Pulumi project: it has no Pulumi.yaml; run the command in your project's directory`,
    );
  let automation: Promise<AutomationWorkspace> | undefined;
  return { workDir, automation: () => (automation ??= openWorkspace(workDir)) };
}

async function openWorkspace(workDir: string): Promise<AutomationWorkspace> {
  const { LocalWorkspace, PulumiCommand } =
    require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  let pulumi: PulumiCommand;
  try {
    pulumi = await PulumiCommand.get();
  } catch (error) {
    const message = (error as Error).message;
    throw new CommandFailure(
      /ENOENT/.test(message)
        ? CLI_MISSING
        : `the pulumi CLI did not run: ${pulumiErrorLine(message, "pulumi version failed")}`,
    );
  }
  return {
    pulumi,
    workspace: await LocalWorkspace.create({ workDir, pulumiCommand: pulumi }),
    selectStack: (stackName, envVars) =>
      LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand: pulumi, ...(envVars ? { envVars } : {}) }),
  };
}

/**
 * The stacks `selection` names: each `--stack` in order (duplicates once), with `--all` every
 * stack of the project, else the selected stack, both from `pulumi stack ls --json` run directly
 * (it needs no secrets provider, and the Automation API's `listStacks` would run the same command
 * after loading the API and checking the CLI's version, the larger part of a `status`). Throws a
 * `CommandFailure` when no stack is selected, or the project has none with `--all`. Names are not
 * checked here: reading an unknown stack fails with the CLI's message.
 */
export async function stackNames(project: PulumiProject, selection: StackSelection): Promise<string[]> {
  if (selection.stack.length > 0) return [...new Set(selection.stack)];
  const listed = await runPulumi(project, ["stack", "ls", "--json"]);
  let stacks: { name: string; current?: boolean }[];
  try {
    stacks = JSON.parse(listed) as { name: string; current?: boolean }[];
  } catch {
    throw new CommandFailure("pulumi stack ls --json printed no list of stacks");
  }
  if (selection.all) {
    if (stacks.length === 0) throw new CommandFailure(`the project in ${project.workDir} has no stacks`);
    return stacks.map((stack) => stack.name);
  }
  const selected = stacks.find((stack) => stack.current);
  if (selected === undefined)
    throw new CommandFailure("no stack is selected: pass --stack NAME or --all, or run pulumi stack select");
  return [selected.name];
}

/**
 * Runs `pulumi <args> --non-interactive` (the `pulumi` on `PATH`, as the Automation API finds it)
 * in the project's directory, with this process's environment, and resolves with its standard
 * output. Rejects with a `CommandFailure` holding the CLI's error line (see `pulumiErrorLine`), or
 * saying that no `pulumi` is on `PATH`.
 */
export function runPulumi(project: PulumiProject, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      [...args, "--non-interactive"],
      { cwd: project.workDir, maxBuffer: 1 << 30, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (!error) resolve(stdout);
        else if ((error as NodeJS.ErrnoException).code === "ENOENT") reject(new CommandFailure(CLI_MISSING));
        else reject(new CommandFailure(pulumiErrorLine(stderr, error.message)));
      },
    );
  });
}

/** Runs an Automation API call, turning its `CommandError` into a `CommandFailure` of one line. */
export async function cli<T>(call: () => Promise<T>, fallback: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CommandFailure) throw error;
    throw new CommandFailure(pulumiErrorLine((error as Error).message, fallback));
  }
}
