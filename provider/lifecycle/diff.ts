import { isDeepStrictEqual } from "node:util";
import { SETTINGS_INPUTS, TOKEN_SHAPING_INPUTS, type Props, type SessionCredentialsOutputs } from "./inputs";
import { resourceLabel } from "../aws/errors";
import { isRenewalDue, renewalTime, type TokenLife } from "./renewal";

/** The name `replaces` carries when the token itself is due for renewal. */
export const RENEWAL_DUE = "renewAt";
/** The name `replaces` carries when a refresh found the destination no longer holding the delivered version. */
export const DELIVERY_LOST = "deliveredVersion";

/** What a diff decides, as Pulumi's `DiffResult`. */
export interface SessionCredentialsDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: false;
  /** Why a replacement mints a new token, for the user to read (no value of any input or output); none without one. */
  reason?: string;
}

/** Why a token is due: `renewAt` has passed, falls within the horizon, or cannot be read. */
function renewalCause(renewAt: string, dueNow: boolean, horizonSeconds: number): string {
  if (!renewAt) return "the stored token has no readable expiry";
  return dueNow
    ? `renewAt ${renewAt} has passed`
    : `renewAt ${renewAt} is within the renewal horizon of ${horizonSeconds} s (renew --within)`;
}

/**
 * Compares the stored state with the checked new inputs at time `now` (this machine's clock).
 * Replaces (create before delete) when a token-shaping input changed, naming it, or when renewal
 * is due (`now + horizonSeconds` has reached `renewAt`, recomputed with the new
 * `renewBeforeSeconds` exactly as `update` stores it), naming `renewAt`, or when a refresh
 * recorded that the destination of `deliverTo` no longer holds the delivered version, naming
 * `deliveredVersion`. A change of settings alone is an update that mints nothing.
 * `horizonSeconds` (default 0) is `renew --within`'s: a token due within it is renewed now.
 */
export function diffSessionCredentials(
  olds: Props,
  news: Props,
  now: number,
  horizonSeconds = 0,
): SessionCredentialsDiff {
  const changed = (names: readonly string[]) => names.filter((name) => !isDeepStrictEqual(olds[name], news[name]));
  const replaces = changed(TOKEN_SHAPING_INPUTS);
  const state = olds as Partial<SessionCredentialsOutputs>;
  const renewBeforeSeconds =
    typeof news.renewBeforeSeconds === "number" ? news.renewBeforeSeconds : (state.renewBeforeSeconds ?? 0);
  const renewAt = typeof state.expiresAt === "string" ? renewalTime({ ...state, renewBeforeSeconds } as TokenLife) : "";
  const due = isRenewalDue(now + horizonSeconds * 1000, renewAt);
  const causes = [
    ...(replaces.length > 0 ? [`${replaces.join(", ")} changed`] : []),
    ...(due ? [renewalCause(renewAt, isRenewalDue(now, renewAt), horizonSeconds)] : []),
    ...(state.deliveryLost ? [`the destination no longer holds the delivered version (${state.deliveryLost})`] : []),
  ];
  if (due) replaces.push(RENEWAL_DUE);
  if (state.deliveryLost) replaces.push(DELIVERY_LOST);
  return {
    changes: replaces.length > 0 || changed(SETTINGS_INPUTS).length > 0,
    replaces,
    deleteBeforeReplace: false,
    ...(causes.length > 0
      ? { reason: `${resourceLabel(news)}: replacing to mint a new token: ${causes.join("; ")}` }
      : {}),
  };
}
