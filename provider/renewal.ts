/** Milliseconds since the epoch, as `Date.now()` returns them. */
export type Clock = () => number;

/** The machine's clock. */
export function systemClock(): number {
  return Date.now();
}

/** When a token is due for renewal: `renewBeforeSeconds` before it expires, on the service's clock. */
export function renewalTime(expiresAt: string, renewBeforeSeconds: number): string {
  return new Date(Date.parse(expiresAt) - renewBeforeSeconds * 1000).toISOString();
}

/**
 * The renewal rule: true once the service's time (this machine's `now` plus the offset of the
 * service's clock measured at mint) has reached `renewAt`. A `renewAt` that cannot be read is due.
 */
export function isRenewalDue(now: number, renewAt: string, serviceClockOffsetMs = 0): boolean {
  const due = Date.parse(renewAt);
  return Number.isNaN(due) || now + serviceClockOffsetMs >= due;
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
