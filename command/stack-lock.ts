import { formatDuration } from "./duration";

/** An update's lock on a stack, as the backend's refusal names it. */
export interface LockHolder {
  /** `user@host` of the process that holds it. */
  owner: string;
  pid: number;
  /** When it was taken, RFC 3339, as the backend wrote it. */
  since: string;
}

/** A `pulumi` command refused because another update holds the stack. */
export interface StackLocked {
  /** The locks the backend named: the file and S3-style backends name theirs; Pulumi Cloud names none. */
  holders: LockHolder[];
}

/** The file and S3-style backends' refusal, which goes on to advise `pulumi cancel`. */
const DIY_LOCKED = "the stack is currently locked by";
/** Pulumi Cloud's refusal. */
const CLOUD_CONFLICT = "[409] Conflict: Another update is currently in progress.";
/**
 * The file and S3-style backends' error when a lock vanished between listing the stack's locks and
 * reading one: its holder had just ended, so the stack was held a moment before.
 */
const VANISHED_LOCK = /\.pulumi\/locks\/\S*\)? \(code=NotFound\)/;
/** A lock line after the refusal: `  <lock URL>: created by <user>@<host> (pid <pid>) at <RFC 3339>`. */
const HOLDER_LINE = /^\s*\S+: created by (\S+@\S+) \(pid (\d+)\) at (\S+)\s*$/gm;

/**
 * Whether the output of a failed `pulumi` command (or the Automation API's error for it) says that
 * another update holds the stack's lock: the file and S3-style backends' "the stack is currently
 * locked by N lock(s)", with each holder read from the lines after it (once each); Pulumi Cloud's "[409]
 * Conflict: Another update is currently in progress."; or a lock file that vanished while the
 * backend read it (its holder ended just then). `undefined` for any other failure.
 */
export function stackLocked(output: string): StackLocked | undefined {
  if (!output.includes(DIY_LOCKED) && !output.includes(CLOUD_CONFLICT) && !VANISHED_LOCK.test(output)) return undefined;
  // Once each: the Automation API's error carries the CLI's standard error twice.
  const lines = new Map([...output.matchAll(HOLDER_LINE)].map((match) => [match.slice(1).join(" "), match]));
  const holders = [...lines.values()].map(([, owner = "", pid = "", since = ""]) => ({
    owner,
    pid: Number(pid),
    since,
  }));
  return { holders };
}

/**
 * Who holds the lock, for a person: `user@host, pid 1234, since 2026-11-25T10:00:00Z` for each
 * holder (`; ` between), or `another update (the backend does not say whose)`. Never Pulumi's
 * advice to `pulumi cancel`.
 */
export function describeHolders(locked: StackLocked): string {
  if (locked.holders.length === 0) return "another update (the backend does not say whose)";
  return locked.holders.map(({ owner, pid, since }) => `${owner}, pid ${pid}, since ${since}`).join("; ");
}

/**
 * Why a stack is `busy`: who holds its lock, for how long `renew` waited, and why not to
 * `pulumi cancel` it (the advice Pulumi's own message gives, which is only for a dead update).
 */
export function busyMessage(locked: StackLocked, waitSeconds: number): string {
  const waited = waitSeconds > 0 ? `still held after waiting ${formatDuration(waitSeconds)} (--wait)` : "--wait 0";
  return (
    `another update holds the stack: ${describeHolders(locked)}; ${waited}. ` +
    "Do not run pulumi cancel while that update is alive: it deletes only the lock, the update goes on " +
    "and the next one runs beside it. Run renew again later or with a longer --wait; " +
    "pulumi cancel is only for the lock of an update whose process is gone"
  );
}
