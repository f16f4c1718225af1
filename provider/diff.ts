import { isDeepStrictEqual } from "node:util";
import { SETTINGS_INPUTS, TOKEN_SHAPING_INPUTS, type Props, type SessionCredentialsOutputs } from "./inputs";
import { isRenewalDue, renewalTime } from "./renewal";

/** The name `replaces` carries when the token itself is due for renewal. */
export const RENEWAL_DUE = "renewAt";

/** What a diff decides, as Pulumi's `DiffResult`. */
export interface SessionCredentialsDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: false;
}

/**
 * Compares the stored state with the checked new inputs at time `now` (this machine's clock).
 * Replaces (create before delete) when a token-shaping input changed, naming it, or when renewal
 * is due (`renewAt` on the service's clock, recomputed with the new `renewBeforeSeconds`), naming
 * `renewAt`. A change of settings alone is an update that mints nothing.
 */
export function diffSessionCredentials(olds: Props, news: Props, now: number): SessionCredentialsDiff {
  const changed = (names: readonly string[]) => names.filter((name) => !isDeepStrictEqual(olds[name], news[name]));
  const replaces = changed(TOKEN_SHAPING_INPUTS);
  const state = olds as Partial<SessionCredentialsOutputs>;
  const renewBefore =
    typeof news.renewBeforeSeconds === "number" ? news.renewBeforeSeconds : (state.renewBeforeSeconds ?? 0);
  const renewAt = state.expiresAt ? renewalTime(state.expiresAt, renewBefore) : "";
  if (isRenewalDue(now, renewAt, state.serviceClockOffsetMs)) replaces.push(RENEWAL_DUE);
  return { changes: replaces.length > 0 || changed(SETTINGS_INPUTS).length > 0, replaces, deleteBeforeReplace: false };
}
