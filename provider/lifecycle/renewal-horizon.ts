/**
 * The environment variable through which `emr-session-credentials renew --within` hands its
 * horizon, in whole seconds, to the provider of the `pulumi up` it runs (the engine passes its
 * environment to the dynamic-provider host and to the provider plugin).
 */
export const RENEWAL_HORIZON_ENV = "EMR_SESSION_CREDENTIALS_RENEW_WITHIN";

/**
 * The renewal horizon `env` carries in `RENEWAL_HORIZON_ENV`, in seconds: 0 when it is unset or
 * empty (a plain `pulumi up` renews what is due now). Throws an error naming the variable and its
 * value for anything but a whole number of seconds, 0 or more.
 */
export function renewalHorizonSeconds(env: NodeJS.ProcessEnv): number {
  const text = env[RENEWAL_HORIZON_ENV]?.trim() ?? "";
  if (text === "") return 0;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seconds))
    throw new Error(
      `${RENEWAL_HORIZON_ENV} is "${text}": it must be a whole number of seconds, 0 or more ` +
        "(emr-session-credentials renew sets it from --within); unset it for a plain pulumi up",
    );
  return seconds;
}
