import type { Stack, UpOptions } from "@pulumi/pulumi/automation";
import type { Clock } from "../provider/lifecycle/renewal";
import { formatDuration } from "./duration";
import type { CredentialStatus } from "./due";
import { pulumiErrorLine } from "./failure";
import { mapLimited } from "./map-limited";
import { cli, type PulumiProject } from "./pulumi-project";
import { readStoredCredentials } from "./stack-state";
import { stacksDue, type DueOptions, type StackCredentials } from "./status";

/** `renew`'s flags. */
export interface RenewOptions extends DueOptions {
  /** `--targeted`: update only the due credentials and their dependents, not the whole stack. */
  targeted: boolean;
  /** `--parallel`: how many stacks update at once. */
  parallel: number;
}

/** What became of one stack. */
export type RenewOutcome = "renewed" | "failed" | "nothing due";

/** One stack's renewal: its outcome, the credentials that were due, and why it failed. */
export interface StackRenewal {
  stack: string;
  outcome: RenewOutcome;
  /** The credentials that were due within the horizon (none when nothing was). */
  credentials: CredentialStatus[];
  /** Why it failed, in one line; only when it did. */
  error?: string;
}

/** Where `renew` writes a line of progress. */
export type Progress = (line: string) => void;

/**
 * The options of the up that renews `due` credentials. Those already due need nothing: the
 * provider's diff replaces them. Those due within the horizon but not yet are `replace`d, so they
 * mint now, as the horizon asks. `targeted`: the up targets the due credentials and their dependents.
 */
export function renewalUpOptions(
  due: readonly CredentialStatus[],
  targeted: boolean,
): Pick<UpOptions, "replace" | "target" | "targetDependents"> {
  const early = due.filter((credentials) => !credentials.dueNow).map((credentials) => credentials.urn);
  return {
    ...(early.length > 0 ? { replace: early } : {}),
    ...(targeted ? { target: due.map((credentials) => credentials.urn), targetDependents: true } : {}),
  };
}

/**
 * Renews the stacks `options` selects that have credentials due within the horizon (at one reading
 * of `clock`): an up of each (full, or targeted), `options.parallel` at a time, with its output on
 * `progress`, each line prefixed with the stack's name; the others run nothing. A stack renewed only
 * when the up succeeded and every due credential's `expiresAt` changed in its state. The stack
 * selected before is selected again afterwards. Resolves with every stack's outcome, in order.
 */
export async function renewStacks(
  project: PulumiProject,
  options: RenewOptions,
  clock: Clock,
  progress: Progress,
): Promise<StackRenewal[]> {
  const stacks = await stacksDue(project, options, clock);
  const due = stacks.filter((stack) => stack.credentials.some((credentials) => credentials.due));
  for (const { stack } of stacks) if (!due.some((d) => d.stack === stack)) progress(`${stack}: nothing due`);
  if (due.length === 0) return stacks.map(({ stack }) => ({ stack, outcome: "nothing due", credentials: [] }));

  const { workspace, selectStack } = await project.automation();
  const selectedBefore = await cli(() => workspace.stack(), "pulumi stack ls failed");
  const renewed = new Map<string, StackRenewal>();
  try {
    // One at a time: `pulumi stack select` writes the workspace's file. Every up passes --stack.
    const selected: [StackCredentials, Stack][] = [];
    for (const stack of due) {
      const automation = await cli(() => selectStack(stack.stack), `pulumi stack select ${stack.stack} failed`);
      selected.push([stack, automation]);
    }
    await mapLimited(selected, options.parallel, async ([stack, automation]) => {
      renewed.set(stack.stack, await renewStack(project, stack, automation, options.targeted, progress));
    });
  } finally {
    if (selectedBefore) await workspace.selectStack(selectedBefore.name);
  }
  return stacks.map(({ stack }) => renewed.get(stack) ?? { stack, outcome: "nothing due", credentials: [] });
}

/** Runs the up renewing the due credentials of one stack, and checks that each got a new token. */
async function renewStack(
  project: PulumiProject,
  { stack, credentials }: StackCredentials,
  automation: Stack,
  targeted: boolean,
  progress: Progress,
): Promise<StackRenewal> {
  const due = credentials.filter((c) => c.due);
  const upOptions = renewalUpOptions(due, targeted);
  const how = [
    targeted ? "targeted up" : "full up",
    ...(upOptions.replace ? [`${upOptions.replace.length} replaced early`] : []),
  ];
  progress(`${stack}: renewing ${due.map((c) => c.name).join(", ")} (${how.join(", ")})`);
  const started = performance.now();
  const failed = (error: string): StackRenewal => {
    progress(`${stack}: FAILED: ${error}`);
    return { stack, outcome: "failed", credentials: due, error };
  };
  let pending = "";
  const onOutput = (chunk: string): void => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) progress(`${stack} | ${line}`);
  };
  try {
    await automation.up({ ...upOptions, onOutput });
  } catch (error) {
    return failed(pulumiErrorLine((error as Error).message, "pulumi up failed"));
  } finally {
    if (pending) progress(`${stack} | ${pending}`);
  }
  let after;
  try {
    after = await readStoredCredentials(project, stack);
  } catch (error) {
    return failed((error as Error).message);
  }
  const kept = due.filter((c) => after.find((a) => a.urn === c.urn)?.expiresAt === c.expiresAt);
  if (kept.length > 0) return failed(`the up succeeded but ${kept.map((c) => c.name).join(", ")} kept the old token`);
  progress(`${stack}: renewed in ${formatDuration((performance.now() - started) / 1000)}`);
  return { stack, outcome: "renewed", credentials: due };
}
