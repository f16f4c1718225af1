import { isRenewalDue } from "../provider/lifecycle/renewal";
import type { StoredCredentials } from "./stack-state";

/** A credentials resource with the due rule applied at a time `now` and a horizon. */
export interface CredentialStatus extends StoredCredentials {
  /** Due within the horizon: `renewAt` is at most `now + horizon` (or unreadable). */
  due: boolean;
  /** Due at `now` itself: the next `pulumi up` replaces it on its own. */
  dueNow: boolean;
  /** Whole seconds from `now` to `expiresAt` (negative once lapsed); `null` when unreadable. */
  secondsLeft: number | null;
}

/**
 * Applies the provider's renewal rule (`isRenewalDue`) to stored credentials at `now` (ms since
 * the epoch) and at `now + horizonSeconds`. A credential whose `renewAt` cannot be read counts as
 * due, as the provider's diff replaces it.
 */
export function applyDueRule(
  stored: readonly StoredCredentials[],
  now: number,
  horizonSeconds: number,
): CredentialStatus[] {
  return stored.map((credentials) => {
    const expiresAt = Date.parse(credentials.expiresAt);
    return {
      ...credentials,
      due: isRenewalDue(now + horizonSeconds * 1000, credentials.renewAt),
      dueNow: isRenewalDue(now, credentials.renewAt),
      secondsLeft: Number.isNaN(expiresAt) ? null : Math.floor((expiresAt - now) / 1000),
    };
  });
}
