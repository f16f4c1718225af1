import { callAws } from "../aws/client";
import { describeDestinationError, orAbsent, type Destination } from "./destination";
import type { AwsCallSettings } from "../aws/call-settings";

type SsmSdk = typeof import("@aws-sdk/client-ssm");

/** The key SSM encrypts a SecureString with when no `kmsKeyId` is given. */
export const DEFAULT_SSM_KEY = "alias/aws/ssm";

const SERVICE = { name: "SSM", endpointVariable: "AWS_ENDPOINT_URL_SSM" };

/**
 * The SSM parameter `target.name` as a destination: `put` writes the token as a SecureString
 * (PutParameter with Overwrite, encrypted with `target.kmsKeyId` or `alias/aws/ssm`), a new
 * parameter version each time; `lost` compares the parameter's current version (GetParameter
 * without decryption) with the delivered one.
 */
export function ssmParameter(inputs: AwsCallSettings, target: { name: string; kmsKeyId?: string }): Destination {
  const label = `SSM parameter "${target.name}"`;
  const key = target.kmsKeyId ?? DEFAULT_SSM_KEY;
  const resourceArn = `arn:aws:ssm:${inputs.region}:<account>:parameter${target.name.startsWith("/") ? "" : "/"}${target.name}`;
  const describe = (operation: string) => (error: unknown, waitedMs: number) =>
    describeDestinationError(
      error,
      inputs,
      { label, service: SERVICE, iamAction: `ssm:${operation}`, resourceArn },
      operation,
      waitedMs,
      (code, message) => {
        if (code === "InvalidKeyId" || (code === "AccessDeniedException" && /kms/i.test(message))) {
          return (
            `The KMS key ${key} was refused: check that it exists in ${inputs.region}, is enabled and symmetric, ` +
            "and that the caller may use it (`kms:Encrypt`), or choose another `kmsKeyId`."
          );
        }
        if (code === "TooManyUpdates") return "Something else is writing the parameter at once: run the update again.";
        return undefined;
      },
    );
  return {
    label,
    async put(token) {
      const { PutParameterCommand } = require("@aws-sdk/client-ssm") as SsmSdk;
      const command = new PutParameterCommand({
        Name: target.name,
        Value: token,
        Type: "SecureString",
        Overwrite: true,
        ...(target.kmsKeyId ? { KeyId: target.kmsKeyId } : {}),
      });
      const response = await callAws(
        "ssm",
        inputs,
        (client, options) => client.send(command, options),
        describe("PutParameter"),
      );
      if (response.Version === undefined) {
        throw describe("PutParameter")(
          {
            name: "IncompleteResponse",
            message: "the response lacks the parameter's Version",
            $metadata: response.$metadata,
          },
          0,
        );
      }
      return String(response.Version);
    },
    async lost(version) {
      const { GetParameterCommand } = require("@aws-sdk/client-ssm") as SsmSdk;
      const command = new GetParameterCommand({ Name: target.name, WithDecryption: false });
      const response = await callAws(
        "ssm",
        inputs,
        (client, options) => orAbsent(client.send(command, options), "ParameterNotFound"),
        describe("GetParameter"),
      );
      if (!response) return `${label} no longer exists`;
      const current = String(response.Parameter?.Version);
      return current === version ? undefined : `${label} is at version ${current}, not ${version}`;
    },
  };
}
