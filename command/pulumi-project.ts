import { execFile } from "node:child_process";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { CommandFailure, pulumiErrorLine } from "./failure";

/** The Pulumi project the command runs in, and the CLI it drives. */
export interface PulumiProject {
  /** The project's directory (with `Pulumi.yaml`). */
  workDir: string;
  /** The project's name, from `Pulumi.yaml`. */
  name: string;
  /** The `pulumi` CLI found on `PATH`. */
  pulumi: PulumiCommand;
  /** The Automation API's workspace of the project. */
  workspace: LocalWorkspace;
}

/** Which stacks a subcommand works on, as its flags say. */
export interface StackSelection {
  /** `--stack NAME`, each time given. */
  stack: string[];
  /** `--all`: every stack of the project. */
  all: boolean;
}

/**
 * Finds the `pulumi` CLI on `PATH` and opens the project in `workDir` with the Automation API.
 * Throws a `CommandFailure` when the CLI is missing or fails to run, or `workDir` holds no
 * `Pulumi.yaml`.
 */
export async function openProject(workDir: string): Promise<PulumiProject> {
  let pulumi: PulumiCommand;
  try {
    pulumi = await PulumiCommand.get();
  } catch (error) {
    const message = (error as Error).message;
    throw new CommandFailure(
      /ENOENT/.test(message)
        ? "the pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add it to PATH"
        : `the pulumi CLI did not run: ${pulumiErrorLine(message, "pulumi version failed")}`,
    );
  }
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand: pulumi });
  let name: string;
  try {
    name = (await workspace.projectSettings()).name;
  } catch {
    throw new CommandFailure(
      `${workDir} is not a Pulumi project: it has no Pulumi.yaml; run the command in your project's directory`,
    );
  }
  return { workDir, name, pulumi, workspace };
}

/**
 * The stacks `selection` names: each `--stack` in order (duplicates once), with `--all` every
 * stack of the project (`pulumi stack ls`), else the selected stack. Throws a `CommandFailure`
 * when no stack is selected, or the project has none with `--all`. Names are not checked here:
 * reading an unknown stack fails with the CLI's message.
 */
export async function stackNames(project: PulumiProject, selection: StackSelection): Promise<string[]> {
  if (selection.stack.length > 0) return [...new Set(selection.stack)];
  if (selection.all) {
    const stacks = await cli(() => project.workspace.listStacks(), "pulumi stack ls failed");
    if (stacks.length === 0) throw new CommandFailure(`the project ${project.name} has no stacks`);
    return stacks.map((stack) => stack.name);
  }
  const selected = await cli(() => project.workspace.stack(), "pulumi stack ls failed");
  if (selected === undefined)
    throw new CommandFailure("no stack is selected: pass --stack NAME or --all, or run pulumi stack select");
  return [selected.name];
}

/**
 * Runs `pulumi <args> --non-interactive` in the project's directory, with this process's
 * environment, and resolves with its standard output. Rejects with a `CommandFailure` holding the
 * CLI's error line (see `pulumiErrorLine`).
 */
export function runPulumi(project: PulumiProject, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      project.pulumi.command,
      [...args, "--non-interactive"],
      { cwd: project.workDir, maxBuffer: 1 << 30, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) reject(new CommandFailure(pulumiErrorLine(stderr, error.message)));
        else resolve(stdout);
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
