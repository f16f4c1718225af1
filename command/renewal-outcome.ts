import type { EngineEvent } from "@pulumi/pulumi/automation";
import { isCredentialsType, nameOfUrn, type StoredCredentials } from "./stack-state";

/** A credentials resource as `renew`'s summary names it. */
export type NamedCredentials = Pick<StoredCredentials, "name" | "urn">;

/**
 * What became of one stack: `renewed` by this run's own update; `already renewed` by another update
 * (what was due is no longer); `nothing due`; `busy` (another update held it past `--wait`);
 * `failed`.
 */
export type RenewOutcome = "renewed" | "already renewed" | "nothing due" | "busy" | "failed";

/** One stack's renewal: its outcome, the credentials it concerns, and why it failed or was busy. */
export interface StackRenewal {
  stack: string;
  outcome: RenewOutcome;
  /**
   * `renewed`: those this run's update replaced; otherwise those that were due when `renew` read
   * the state (none when nothing was).
   */
  credentials: NamedCredentials[];
  /** Why it failed or was busy, in one line; only then. */
  error?: string;
}

/**
 * The credentials (of either face's type) whose replacement an update created, once each, in the
 * order its engine events report them: each `create-replacement` step that completed, which is
 * where a new token is minted.
 */
export function replacedCredentials(events: readonly EngineEvent[]): NamedCredentials[] {
  const urns = events
    .map((event) => event.resOutputsEvent?.metadata)
    .filter((step) => step !== undefined && step.op === "create-replacement" && isCredentialsType(step.type))
    .map((step) => step?.urn ?? "");
  return [...new Set(urns)].map((urn) => ({ name: nameOfUrn(urn), urn }));
}

/**
 * The outcome of a stack once an update ended, this run's (`replaced` from its events) or another's
 * (`replaced` empty), given the credentials that were due before and those still due in the state
 * it left: `failed` while any is still due (naming them: the update kept their old tokens), else
 * `renewed` with those this run replaced, else `already renewed` with those that were due.
 */
export function outcomeAfterUpdate(
  stack: string,
  due: readonly NamedCredentials[],
  replaced: readonly NamedCredentials[],
  stillDue: readonly NamedCredentials[],
): StackRenewal {
  if (stillDue.length > 0)
    return {
      stack,
      outcome: "failed",
      credentials: [...due],
      error: `the up succeeded but ${stillDue.map((c) => c.name).join(", ")} kept the old token`,
    };
  if (replaced.length > 0) return { stack, outcome: "renewed", credentials: [...replaced] };
  return { stack, outcome: "already renewed", credentials: [...due] };
}
