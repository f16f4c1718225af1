import type * as provider from "@pulumi/pulumi/provider";
import { SECRET_OUTPUTS, type Props } from "../lifecycle/inputs";
import { systemClock, type Clock } from "../lifecycle/renewal";
import { SessionCredentialsProvider } from "../lifecycle/session-credentials-provider";
import type { SayToUser } from "./engine-log";
import { revealed, withSecrets } from "./secrets";
import { PLUGIN_PACKAGE } from "./type-token";

/** What a `SessionCredentialsPlugin` is made with. */
export interface PluginOptions {
  /** The plugin's version: the package's, and the schema's. */
  version: string;
  /** The schema, as JSON text. */
  schema: string;
  /** The stack's config of the plugin's package, keys without the namespace (`region`, `profile`). */
  config: Record<string, string>;
  /** Where a replacement's reason goes, for the user to read under the resource. */
  say: SayToUser;
  /** This machine's clock, for the renewal rule; tests pin it. Default the system's. */
  clock?: Clock;
}

/** The resource's name, the last part of its URN. */
function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/**
 * `ManagedEndpointSessionCredentials` as a provider plugin (`@pulumi/pulumi/provider`'s `Provider`)
 * for programs in every Pulumi language: each call goes to the lifecycle's
 * `SessionCredentialsProvider`, the very code the TypeScript dynamic provider runs. What it adds
 * is what the plugin protocol asks: the resource's name taken from its URN; secret inputs, which
 * the engine sends wrapped, unwrapped for the lifecycle and returned wrapped, with the token,
 * so that the engine stores them encrypted; the region and profile defaults from the stack config
 * `emr-session-credentials:region` and `:profile`; and a replacement's reason said to the user
 * through the engine, which hides a plugin's standard error.
 */
export class SessionCredentialsPlugin implements provider.Provider {
  readonly version: string;
  readonly schema: string;
  private readonly lifecycle: SessionCredentialsProvider;
  private readonly configured: Promise<void>;

  constructor(private readonly options: PluginOptions) {
    this.version = options.version;
    this.schema = options.schema;
    this.lifecycle = new SessionCredentialsProvider(options.clock ?? systemClock, undefined, PLUGIN_PACKAGE);
    const prefix = `${PLUGIN_PACKAGE}:`;
    this.configured = this.lifecycle.configure({
      config: { get: (key) => (key.startsWith(prefix) ? options.config[key.slice(prefix.length)] : undefined) },
    });
  }

  /** Validates every input and applies the defaults, as the lifecycle's `check` does; secret inputs stay secret. */
  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: provider.CheckFailure[] }> {
    await this.configured;
    const { plain, secretNames } = revealed(news);
    const { inputs, failures } = await this.lifecycle.check(revealed(olds).plain, {
      ...plain,
      resourceName: nameOf(urn),
    });
    return { inputs: withSecrets(inputs, secretNames), failures };
  }

  /** The lifecycle's diff; its reason for a replacement is said under the resource before it returns. */
  async diff(id: string, urn: string, olds: Props, news: Props): Promise<provider.DiffResult> {
    const reasons: string[] = [];
    const { changes, replaces, deleteBeforeReplace } = await this.lifecycle.diff(
      id,
      revealed(olds).plain,
      revealed(news).plain,
      (reason) => reasons.push(reason),
    );
    for (const reason of reasons) await this.options.say(urn, reason);
    return { changes, replaces, deleteBeforeReplace };
  }

  /** Mints (and delivers) a token as the lifecycle's `create` does; the token and secret inputs return secret. */
  async create(_urn: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const { plain, secretNames } = revealed(inputs);
    const { id, outs } = await this.lifecycle.create(plain);
    return { id, outs: withSecrets(outs, [...secretNames, ...SECRET_OUTPUTS]) };
  }

  /** The lifecycle's refresh: the state kept, a destination asked whether it still holds the token. */
  async read(id: string, _urn: string, props: Props): Promise<{ id: string; props: Props }> {
    const { plain, secretNames } = revealed(props);
    const read = await this.lifecycle.read(id, plain);
    return { id: read.id, props: withSecrets(read.props, [...secretNames, ...SECRET_OUTPUTS]) };
  }

  /** A settings change applied to the stored token without a call, as the lifecycle's `update` does. */
  async update(id: string, _urn: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const { plain, secretNames } = revealed(news);
    const { outs } = await this.lifecycle.update(id, revealed(olds).plain, plain);
    return { outs: withSecrets(outs, [...secretNames, ...SECRET_OUTPUTS]) };
  }

  /** Makes no call: a session token cannot be revoked. */
  async delete(): Promise<void> {
    await this.lifecycle.delete();
  }
}
