import * as pulumi from "@pulumi/pulumi";
import { OUTPUT_NAMES, SECRET_OUTPUTS } from "../lifecycle/inputs";
import { providerShim } from "./provider-shim";
import { CREDENTIALS_MODULE, CREDENTIALS_TYPE_NAME } from "./type-token";

/** A whole number of what it counts (in the plugin's schema, an integer). */
export type Integer = number;

/**
 * An SSM parameter the token is written to as a SecureString with Overwrite (needs
 * `ssm:PutParameter`, `ssm:GetParameter` for refresh, and `kms:Encrypt` on the key): a new
 * parameter version each time.
 */
export interface SsmParameterArgs {
  /** The parameter's name (`/team/app/token`); made if missing. */
  name: pulumi.Input<string>;
  /** The KMS key id, key ARN, `alias/...` or alias ARN. Default: the account's `alias/aws/ssm`. */
  kmsKeyId?: pulumi.Input<string>;
}

/**
 * A Secrets Manager secret that exists, whose new current value (AWSCURRENT) the token becomes
 * (needs `secretsmanager:PutSecretValue`, and `secretsmanager:DescribeSecret` for refresh).
 */
export interface SecretsManagerSecretArgs {
  /** The secret's name or ARN. */
  secretId: pulumi.Input<string>;
}

/**
 * Where a `ManagedEndpointSessionCredentials` delivers its token instead of returning it: exactly
 * one destination. See `ManagedEndpointSessionCredentialsArgs.deliverTo`.
 */
export type DeliverToArgs =
  | {
      /** An SSM parameter, written as a SecureString: a new version each time. */
      ssmParameter: pulumi.Input<SsmParameterArgs>;
    }
  | {
      /** A Secrets Manager secret that exists, whose new current value the token becomes. */
      secretsManagerSecret: pulumi.Input<SecretsManagerSecretArgs>;
    };

/** Inputs of `ManagedEndpointSessionCredentials`. */
export interface ManagedEndpointSessionCredentialsArgs {
  /** The virtual cluster's ID or ARN, sent as given. */
  virtualClusterIdentifier: pulumi.Input<string>;
  /** The managed endpoint's ID or ARN, sent as given; an ARN must agree with the virtual cluster's. */
  endpointIdentifier: pulumi.Input<string>;
  /** The IAM execution role the session runs as; the endpoint must accept it. */
  executionRoleArn: pulumi.Input<string>;
  /** The kind of credentials. Default and only supported value: `TOKEN`. */
  credentialType?: pulumi.Input<string>;
  /** How long a token lives, in seconds: 1 to 43200. Default 900. */
  durationInSeconds?: pulumi.Input<Integer>;
  /** A label the service records with the session (3–63 lowercase letters, digits, `-`, `.`). */
  logContext?: pulumi.Input<string>;
  /**
   * An idempotency token. Unset (recommended), each mint sends a fresh one, reused by the SDK's
   * retries. Pinned, the service returns the same token for it every time, so a renewal fails
   * with a clear error until you change it.
   */
  clientToken?: pulumi.Input<string>;
  /** Renew once less than this many seconds remain. Default a third of `durationInSeconds`. */
  renewBeforeSeconds?: pulumi.Input<number>;
  /** Arbitrary values; any change mints a new token. */
  triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The AWS region. Default: an ARN identifier's, else the stack's config (`aws:region`; for the
   * provider plugin, `emr-session-credentials:region`), else `AWS_REGION`/`AWS_DEFAULT_REGION`.
   */
  region?: pulumi.Input<string>;
  /**
   * A named profile for credentials. Default: the stack's config (`aws:profile`; for the provider
   * plugin, `emr-session-credentials:profile`), else the SDK's default chain.
   */
  profile?: pulumi.Input<string>;
  /** A custom API URL (a VPC endpoint, a local stand-in). */
  endpoint?: pulumi.Input<string>;
  /**
   * Attempts per call, the first included: 1 to 20. Unset, a failing service (5xx, silence, a
   * dropped connection) gets 3, and throttling is retried until `timeoutSeconds`; set, it bounds
   * throttled attempts too.
   */
  maxAttempts?: pulumi.Input<Integer>;
  /**
   * How long one call to the service may take over all its attempts, in seconds: 1 to 3600.
   * Each attempt gets an equal share to connect and answer. Default 60.
   */
  timeoutSeconds?: pulumi.Input<Integer>;
  /**
   * Also read the endpoint with DescribeManagedEndpoint before each mint (needs
   * `emr-containers:DescribeManagedEndpoint`): fills `serverUrl`, `endpointState` and
   * `certificateData`, and fails with the endpoint's state, minting nothing, unless it is ACTIVE.
   * Default false.
   */
  describeEndpoint?: pulumi.Input<boolean>;
  /**
   * Deliver the token straight to an SSM parameter or a Secrets Manager secret, with the same
   * region, credentials and call limits as the EMR call (the endpoints the SDK's own way:
   * `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `endpoint_url`). The token is then
   * never an input or an output, so it is not in the stack's state: `token` is undefined, and
   * `deliveredVersion` names the version that holds it. Each renewal writes a new version; a
   * refresh that finds the destination no longer holding it makes the next up deliver again;
   * destroy leaves the last token there until it expires. A change replaces.
   */
  deliverTo?: pulumi.Input<DeliverToArgs>;
}

/**
 * Session credentials for an EMR on EKS managed (interactive) endpoint, from
 * GetManagedEndpointSessionCredentials. The token is a secret output, or with `deliverTo` is
 * written to an SSM parameter or a Secrets Manager secret and kept out of the state. Every preview and up
 * compares `renewAt` with the clock and replaces the resource (create before delete) once it has
 * passed, so a plain `pulumi up` hands out a fresh token before the old one expires. Deleting it
 * revokes nothing: the token lapses at `expiresAt`.
 */
export class ManagedEndpointSessionCredentials extends pulumi.dynamic.Resource {
  /**
   * The session token (secret), for `JUPYTER_GATEWAY_AUTH_TOKEN` or `Authorization: token <t>`.
   * Undefined with `deliverTo`: the token is then in its destination only, never in the state.
   */
  declare readonly token: pulumi.Output<string>;
  /** When the token expires, RFC 3339, on the service's clock. */
  declare readonly expiresAt: pulumi.Output<string>;
  /** When a preview or up replaces the token, RFC 3339, on the clock of the machine that minted it. */
  declare readonly renewAt: pulumi.Output<string>;
  /** With `describeEndpoint`: the endpoint's URL, for `JUPYTER_GATEWAY_URL`. */
  declare readonly serverUrl: pulumi.Output<string | undefined>;
  /** With `describeEndpoint`: the endpoint's state at mint (ACTIVE). */
  declare readonly endpointState: pulumi.Output<string | undefined>;
  /** With `describeEndpoint`: the endpoint's certificate, base64 PEM, where it has one. */
  declare readonly certificateData: pulumi.Output<string | undefined>;
  /**
   * With `deliverTo`: the version that holds the token (the SSM parameter's version, or the
   * Secrets Manager VersionId). Not secret, new with each delivery: fit for a pod template's
   * annotation, so that pods restart to read a renewed token.
   */
  declare readonly deliveredVersion: pulumi.Output<string | undefined>;

  /** Declares the credentials; a bad input fails the preview with a message per property. */
  constructor(name: string, args: ManagedEndpointSessionCredentialsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerShim,
      name,
      {
        ...args,
        resourceName: name,
        ...Object.fromEntries(OUTPUT_NAMES.map((output) => [output, undefined])),
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] },
      CREDENTIALS_MODULE,
      CREDENTIALS_TYPE_NAME,
    );
  }
}
