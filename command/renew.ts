import type { EngineEvent, Stack, UpOptions } from "@pulumi/pulumi/automation";
import { RENEWAL_HORIZON_ENV } from "../provider/lifecycle/renewal-horizon";
import { retryWhileLocked, type Attempt, type WaitTiming } from "./busy-wait";
import { applyDueRule, type CredentialStatus } from "./due";
import { formatDuration } from "./duration";
import { CommandFailure, pulumiErrorLine } from "./failure";
import { mapLimited } from "./map-limited";
import { cli, type PulumiProject } from "./pulumi-project";
import { outcomeAfterUpdate, replacedCredentials, type NamedCredentials, type StackRenewal } from "./renewal-outcome";
import { busyMessage, describeHolders, stackLocked, type StackLocked } from "./stack-lock";
import { readStoredCredentials } from "./stack-state";
import { stacksDue, type DueOptions, type StackCredentials } from "./status";

/** `renew`'s flags. */
export interface RenewOptions extends DueOptions {
  /** `--targeted`: update only the due credentials and their dependents, not the whole stack. */
  targeted: boolean;
  /** `--parallel`: how many stacks update at once. */
  parallel: number;
  /** `--wait`: how long to wait, in seconds, for another update that holds a stack; 0 not at all. */
  waitSeconds: number;
}

/** Where `renew` writes a line of progress. */
export type Progress = (line: string) => void;

/**
 * The target options of the up that renews `due` credentials: none for a full up (the provider's
 * diff, under the stack's lock, replaces whatever is due within the horizon); with `targeted`,
 * the due credentials and their dependents.
 */
export function renewalUpOptions(
  due: readonly NamedCredentials[],
  targeted: boolean,
): Pick<UpOptions, "target" | "targetDependents"> {
  return targeted ? { target: due.map((credentials) => credentials.urn), targetDependents: true } : {};
}

/**
 * Renews the stacks `options` selects that have credentials due within the horizon (at one reading
 * of the clock): an up of each (full, or targeted), `options.parallel` at a time, with its output
 * on `progress`, each line prefixed with the stack's name; the others run nothing. Each up runs
 * with the horizon in `RENEWAL_HORIZON_ENV`, so the provider decides under the stack's lock, from
 * the state that update starts from, which credentials to replace. A stack another update holds
 * is waited for (see `renewStack`). The stack selected before is selected again afterwards.
 * Resolves with every stack's outcome, in order.
 */
export async function renewStacks(
  project: PulumiProject,
  options: RenewOptions,
  timing: WaitTiming,
  progress: Progress,
): Promise<StackRenewal[]> {
  const stacks = await stacksDue(project, options, timing.clock);
  const due = stacks.filter((stack) => stack.credentials.some((credentials) => credentials.due));
  for (const { stack } of stacks) if (!due.some((d) => d.stack === stack)) progress(`${stack}: nothing due`);
  if (due.length === 0) return stacks.map(({ stack }) => ({ stack, outcome: "nothing due", credentials: [] }));

  const { workspace, selectStack } = await project.automation();
  const selectedBefore = await cli(() => workspace.stack(), "pulumi stack ls failed");
  const horizon = { [RENEWAL_HORIZON_ENV]: String(options.withinSeconds) };
  const renewed = new Map<string, StackRenewal>();
  try {
    // One at a time: `pulumi stack select` writes the workspace's file. Every up passes --stack.
    const selected: [StackCredentials, Stack][] = [];
    for (const stack of due) {
      const automation = await cli(
        () => selectStack(stack.stack, horizon),
        `pulumi stack select ${stack.stack} failed`,
      );
      selected.push([stack, automation]);
    }
    await mapLimited(selected, options.parallel, async ([stack, automation]) => {
      renewed.set(stack.stack, await renewStack(project, stack, automation, options, timing, progress));
    });
  } finally {
    if (selectedBefore) await workspace.selectStack(selectedBefore.name);
  }
  return stacks.map(({ stack }) => renewed.get(stack) ?? { stack, outcome: "nothing due", credentials: [] });
}

/** Those of `due` that the stack's stored state shows still due within the horizon, now. */
async function stillDue(
  project: PulumiProject,
  stack: string,
  due: readonly NamedCredentials[],
  options: RenewOptions,
  timing: WaitTiming,
): Promise<CredentialStatus[]> {
  const stored = applyDueRule(await readStoredCredentials(project, stack), timing.clock(), options.withinSeconds);
  return stored.filter((credentials) => credentials.due && due.some((d) => d.urn === credentials.urn));
}

/**
 * Renews the due credentials of one stack with an up. While another update holds the stack's lock
 * (or two updates locked each other out), it waits up to `options.waitSeconds`, trying again every
 * 1 to 3 s; before each new try it reads the state: once nothing is due any more, another update
 * renewed it (`already renewed`, and no up runs). Past the wait, `busy`, naming the lock's holder.
 * After its own up, `renewed` names the credentials that up replaced (its engine events), `already
 * renewed` when it replaced none because none was due any more, `failed` if any is still due.
 */
async function renewStack(
  project: PulumiProject,
  { stack, credentials }: StackCredentials,
  automation: Stack,
  options: RenewOptions,
  timing: WaitTiming,
  progress: Progress,
): Promise<StackRenewal> {
  const due = credentials.filter((c) => c.due).map(({ name, urn }) => ({ name, urn }));
  const how = [
    options.targeted ? "targeted up" : "full up",
    ...(options.withinSeconds > 0 ? [`horizon ${formatDuration(options.withinSeconds)}`] : []),
  ];
  progress(`${stack}: renewing ${due.map((c) => c.name).join(", ")} (${how.join(", ")})`);
  const started = performance.now();
  const ended = (renewal: StackRenewal): StackRenewal => {
    const took = formatDuration((performance.now() - started) / 1000);
    const outcome = renewal.outcome === "already renewed" ? "already renewed by another update" : renewal.outcome;
    progress(
      `${stack}: ${renewal.error === undefined ? `${outcome} in ${took}` : `${outcome.toUpperCase()}: ${renewal.error}`}`,
    );
    return renewal;
  };
  let held: StackLocked | undefined;
  const onLocked = (locked: StackLocked): void => {
    const before = held === undefined ? undefined : describeHolders(held);
    if (locked.holders.length > 0 || held === undefined) held = locked;
    if (describeHolders(held) !== before)
      progress(
        `${stack}: another update holds the stack (${describeHolders(held)}); ` +
          `waiting up to ${formatDuration(options.waitSeconds)} for it to end (--wait)`,
      );
  };
  const upOptions = renewalUpOptions(due, options.targeted);

  const attempt = async (tries: number): Promise<Attempt<StackRenewal>> => {
    if (tries > 1 && (await stillDue(project, stack, due, options, timing)).length === 0)
      return { done: outcomeAfterUpdate(stack, due, [], []) };
    const events: EngineEvent[] = [];
    let pending = "";
    const onOutput = (chunk: string): void => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) progress(`${stack} | ${line}`);
    };
    try {
      await automation.up({ ...upOptions, onOutput, onEvent: (event) => events.push(event) });
    } catch (error) {
      const message = (error as Error).message;
      const locked = stackLocked(message);
      if (locked) return { locked };
      throw new CommandFailure(pulumiErrorLine(message, "pulumi up failed"));
    } finally {
      if (pending) progress(`${stack} | ${pending}`);
    }
    const left = await stillDue(project, stack, due, options, timing);
    return { done: outcomeAfterUpdate(stack, due, replacedCredentials(events), left) };
  };

  try {
    const result = await retryWhileLocked(attempt, options.waitSeconds, timing, onLocked);
    if ("done" in result) return ended(result.done);
    return ended({
      stack,
      outcome: "busy",
      credentials: due,
      error: busyMessage(held ?? result.locked, options.waitSeconds),
    });
  } catch (error) {
    return ended({ stack, outcome: "failed", credentials: due, error: (error as Error).message });
  }
}
