import type { SessionCredentialsInputs } from "./inputs";

/** Default `timeoutSeconds`: how long one call may take over all its attempts. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** The SDK's default number of attempts per call, used when `maxAttempts` is unset. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** How one call to the service is bounded. */
export interface CallLimits {
  /** Attempts per call, the first included. */
  attempts: number;
  /** The whole call's bound, in ms: `timeoutSeconds`. */
  timeoutMs: number;
  /** Each attempt's bound on connecting and on a silent response, in ms: the whole bound shared out between the attempts. */
  attemptTimeoutMs: number;
}

/** The bounds of one call for `inputs`' `maxAttempts` and `timeoutSeconds`, defaults applied. */
export function callLimits(inputs: Pick<SessionCredentialsInputs, "maxAttempts" | "timeoutSeconds">): CallLimits {
  const attempts = inputs.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const timeoutMs = (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  return { attempts, timeoutMs, attemptTimeoutMs: Math.ceil(timeoutMs / attempts) };
}
