/** Milliseconds since the epoch, as `Date.now()` returns them. */
export type Clock = () => number;

/** The machine's clock. */
export function systemClock(): number {
  return Date.now();
}

/** What the renewal rule needs to know about a minted token. */
export interface TokenLife {
  /** When the token expires, RFC 3339, on the service's clock (as the service said). */
  expiresAt: string;
  /** The life that was asked for, in seconds. */
  durationInSeconds: number;
  /** Renew once less than this many seconds remain of a token granted in full. */
  renewBeforeSeconds: number;
  /** How far the service's clock was ahead of the minting machine's, in ms (negative: behind). Default 0. */
  serviceClockOffsetMs?: number;
  /** The life the service granted, in seconds, when it granted less than asked; absent when granted in full. */
  grantedSeconds?: number;
}

/**
 * A token this much shorter than `durationInSeconds` counts as granted in full: `expiresAt` and the
 * `Date` header carry whole seconds, and the answer takes time to arrive.
 */
export const GRANT_MEASUREMENT_SLACK_MS = 3_000;

/**
 * The life the service granted, in seconds, measured from `expiresAt` and the service's time at
 * mint; `undefined` when it is the whole `durationInSeconds` (within `GRANT_MEASUREMENT_SLACK_MS`).
 * Never negative.
 */
export function grantedSeconds(
  expiresAt: string,
  durationInSeconds: number,
  serviceTimeAtMint: number,
): number | undefined {
  const lifeMs = Date.parse(expiresAt) - serviceTimeAtMint;
  return lifeMs < durationInSeconds * 1000 - GRANT_MEASUREMENT_SLACK_MS ? Math.max(0, lifeMs) / 1000 : undefined;
}

/**
 * The renewal window, in seconds: `renewBeforeSeconds`, scaled by the share of the asked life the
 * service granted (`grantedSeconds ÷ durationInSeconds`) when it granted less. Since check keeps
 * `renewBeforeSeconds` below `durationInSeconds`, the window is always shorter than the life granted.
 */
export function renewalWindowSeconds(life: TokenLife): number {
  const share = life.grantedSeconds === undefined ? 1 : Math.min(1, life.grantedSeconds / life.durationInSeconds);
  return life.renewBeforeSeconds * share;
}

/**
 * `renewAt`: when a preview or an up on the machine that minted replaces the token, as RFC 3339 on
 * that machine's clock: `expiresAt` less the renewal window, less the service clock's lead.
 * Empty when `expiresAt` or the durations cannot be read (renewal is then due).
 */
export function renewalTime(life: TokenLife): string {
  // Rounded up to the millisecond, so that a window just short of the life granted is not due at once.
  const at = new Date(
    Math.ceil(Date.parse(life.expiresAt) - renewalWindowSeconds(life) * 1000 - (life.serviceClockOffsetMs ?? 0)),
  );
  return Number.isNaN(at.getTime()) ? "" : at.toISOString();
}

/** The renewal rule: true once this machine's `now` has reached `renewAt`, or when `renewAt` cannot be read. */
export function isRenewalDue(now: number, renewAt: string): boolean {
  const due = Date.parse(renewAt);
  return Number.isNaN(due) || now >= due;
}

/**
 * How far the service's clock is ahead of this machine's (negative when behind), from the
 * HTTP `Date` header of a response received at local time `receivedAt`. `Date` has whole
 * seconds, so offsets under a second are noise and count as 0.
 */
export function serviceClockOffset(dateHeader: string | undefined, receivedAt: number): number {
  const serviceTime = dateHeader ? Date.parse(dateHeader) : NaN;
  if (Number.isNaN(serviceTime)) return 0;
  const offset = serviceTime - receivedAt;
  return Math.abs(offset) < 1000 ? 0 : offset;
}
