import type * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { deliverToken, deliveryLost, type DeliveringInputs } from "../destinations/deliver";
import { checkInputs } from "./check";
import { diffSessionCredentials } from "./diff";
import { OUTPUT_NAMES, type Props, type SessionCredentialsInputs, type SessionCredentialsOutputs } from "./inputs";
import { describeEndpoint } from "./endpoint-details";
import { mintToken } from "./mint";
import { renewalTime, systemClock, type Clock } from "./renewal";
import { renewalHorizonSeconds } from "./renewal-horizon";

/** The inputs part of a state or a checked bag: outputs and the host's `__provider` left out. */
function inputsOf(props: Props): Props {
  const outputs: readonly string[] = OUTPUT_NAMES;
  return Object.fromEntries(
    Object.entries(props).filter(([name]) => !name.startsWith("__") && !outputs.includes(name)),
  );
}

/**
 * The dynamic provider behind `ManagedEndpointSessionCredentials`. It holds no client object
 * (the AWS SDK is required inside the calls) so that it serializes into `__provider`.
 * `create` makes one GetManagedEndpointSessionCredentials call, and with `deliverTo` one call that
 * writes the token to its destination; `update` makes none, nor does `read` without `deliverTo`;
 * `delete` makes none either, since a session token cannot be revoked.
 */
export class SessionCredentialsProvider implements pulumi.dynamic.ResourceProvider {
  private stackRegion: string | undefined;
  private stackProfile: string | undefined;

  /**
   * @param clock this machine's clock, for the renewal rule; tests pin it.
   * @param report where a replacement's reason goes: standard error, which the engine shows the
   *   user as a diagnostic of the preview or up (it does not display the names in `replaces`).
   * @param configNamespace the stack config namespace whose `region` and `profile` are the defaults
   *   (`aws`: `aws:region`, `aws:profile`).
   * @param horizonSeconds the renewal horizon of each diff, in seconds: by default read, at each
   *   diff, from the environment that `renew --within` sets (see `renewalHorizonSeconds`; 0 for a
   *   plain up), so that the update holding the stack's lock decides what is due. An invalid value
   *   fails the diff, naming the variable.
   */
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly report: (line: string) => void = (line) => console.error(line),
    private readonly configNamespace = "aws",
    private readonly horizonSeconds: () => number = () => renewalHorizonSeconds(process.env),
  ) {}

  /** Takes `<configNamespace>:region` and `<configNamespace>:profile` from the stack's config. */
  async configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    this.stackRegion = req.config.get(`${this.configNamespace}:region`);
    this.stackProfile = req.config.get(`${this.configNamespace}:profile`);
  }

  /** Validates every input and applies the defaults; see `checkInputs`. */
  async check(_olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    return checkInputs(inputsOf(news), {
      configNamespace: this.configNamespace,
      stackRegion: this.stackRegion,
      stackProfile: this.stackProfile,
      env: process.env,
    });
  }

  /**
   * Replace on a token-shaping change or when renewal is due within the horizon, saying why to
   * `report` (default the provider's); see `diffSessionCredentials`.
   */
  async diff(_id: string, olds: Props, news: Props, report = this.report): Promise<pulumi.dynamic.DiffResult> {
    const { reason, ...result } = diffSessionCredentials(olds, inputsOf(news), this.clock(), this.horizonSeconds());
    if (reason !== undefined) report(reason);
    return result;
  }

  /**
   * Mints a token; with `describeEndpoint`, first reads the endpoint and refuses one that is not
   * ACTIVE. With `deliverTo`, writes the token to its destination and returns it nowhere: the
   * outputs have `deliveredVersion` and no `token`, so it never enters the state. On failure
   * nothing is created and the error says why and what to do.
   */
  async create(inputs: Props): Promise<{ id: string; outs: SessionCredentialsOutputs }> {
    const checked = inputsOf(inputs) as SessionCredentialsInputs;
    const details = checked.describeEndpoint ? await describeEndpoint(checked) : {};
    const { id, token, ...minted } = await mintToken(checked, this.clock);
    if (!checked.deliverTo) return { id, outs: { ...checked, ...details, ...minted, token } };
    const deliveredVersion = await deliverToken(checked as DeliveringInputs, token, minted.expiresAt);
    return { id, outs: { ...checked, ...details, ...minted, deliveredVersion } };
  }

  /** Applies a settings change to the stored token without a call: same token, `renewAt` recomputed as diff does. */
  async update(_id: string, olds: Props, news: Props): Promise<{ outs: SessionCredentialsOutputs }> {
    const checked = inputsOf(news) as SessionCredentialsInputs;
    const kept = Object.fromEntries(OUTPUT_NAMES.filter((name) => name in olds).map((name) => [name, olds[name]]));
    const state = { serviceClockOffsetMs: 0, ...kept } as SessionCredentialsOutputs;
    return {
      outs: {
        ...checked,
        ...state,
        renewAt: renewalTime({ ...checked, ...state }),
      },
    };
  }

  /**
   * A refresh keeps the state as it is: the service cannot read a token back, and the next diff
   * judges its age from `expiresAt`, so an expiring token is still renewed by the next up. With
   * `deliverTo`, it also asks the destination (never for the value) whether it still holds
   * `deliveredVersion` as current, and records in `deliveryLost` what it found when it does not,
   * for the next diff to replace, delivering again.
   */
  async read(id: string, props: Props): Promise<{ id: string; props: Props }> {
    const { deliveryLost: _previous, ...state } = props as Partial<SessionCredentialsOutputs>;
    if (!state.deliverTo || state.deliveredVersion === undefined) return { id, props: { ...props } };
    const lost = await deliveryLost(inputsOf(state) as DeliveringInputs, state.deliveredVersion);
    return { id, props: { ...state, ...(lost === undefined ? {} : { deliveryLost: lost }) } };
  }

  /**
   * Makes no call: a session token cannot be revoked; it lapses at `expiresAt`. A delivered token
   * stays in its destination until then (a renewal's new version has replaced it as current).
   */
  async delete(): Promise<void> {}
}
