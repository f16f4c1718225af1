import type { AwsCallSettings } from "../aws/call-settings";
import type { Destination } from "./destination";
import { secretsManagerSecret } from "./secrets-manager-secret";
import { ssmParameter } from "./ssm-parameter";

/** Where `create` writes the token, so that it is never an input or an output: exactly one member. */
export type DeliverTo =
  | {
      /** An SSM parameter, written as a SecureString (PutParameter with Overwrite): a new version each time. */
      ssmParameter: {
        /** The parameter's name, such as `/emr/notebooks/token`. */
        name: string;
        /** The KMS key that encrypts it (key id, key ARN, `alias/...` or alias ARN). Default: the account's `alias/aws/ssm`. */
        kmsKeyId?: string;
      };
      secretsManagerSecret?: never;
    }
  | {
      /** A Secrets Manager secret that exists, whose new current value it becomes (PutSecretValue). */
      secretsManagerSecret: {
        /** The secret's name or ARN. */
        secretId: string;
      };
      ssmParameter?: never;
    };

/** Inputs that deliver the token: where to, and how to reach AWS. */
export type DeliveringInputs = AwsCallSettings & { deliverTo: DeliverTo };

/** The destination `inputs.deliverTo` names, reached with the inputs' region, profile and call limits. */
function destinationOf(inputs: DeliveringInputs): Destination {
  const { ssmParameter: parameter, secretsManagerSecret: secret } = inputs.deliverTo;
  if (parameter) return ssmParameter(inputs, parameter);
  if (secret) return secretsManagerSecret(inputs, secret);
  throw new Error("deliverTo names no destination"); // check() refuses such inputs
}

/**
 * Writes `token` to the destination of `inputs.deliverTo` as its new current value and resolves to
 * the version that holds it (`deliveredVersion`). On failure, rejects with the destination's error
 * and that the token, which lapses unused at `expiresAt`, was not delivered.
 */
export async function deliverToken(inputs: DeliveringInputs, token: string, expiresAt: string): Promise<string> {
  try {
    return await destinationOf(inputs).put(token);
  } catch (error) {
    throw new Error(
      `${(error as Error).message} The token minted for it was not delivered and nothing was recorded: ` +
        `it lapses unused at ${expiresAt}, and the next up mints another.`,
    );
  }
}

/**
 * What the destination of `inputs.deliverTo` holds instead of `deliveredVersion` as its current
 * value (another version, nothing at all), or `undefined` while it still holds it. Never reads the
 * value. Rejects, with the destination's error, when it cannot be read.
 */
export function deliveryLost(inputs: DeliveringInputs, deliveredVersion: string): Promise<string | undefined> {
  return destinationOf(inputs).lost(deliveredVersion);
}
