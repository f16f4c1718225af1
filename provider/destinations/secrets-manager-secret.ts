import { randomUUID } from "node:crypto";
import { callAws } from "../aws/client";
import { describeDestinationError, orAbsent, type Destination } from "./destination";
import type { AwsCallSettings } from "../aws/call-settings";

type SecretsManagerSdk = typeof import("@aws-sdk/client-secrets-manager");

const SERVICE = { name: "Secrets Manager", endpointVariable: "AWS_ENDPOINT_URL_SECRETS_MANAGER" };

/**
 * The Secrets Manager secret `target.secretId` (which must exist) as a destination: `put` writes
 * the token as its new current value (PutSecretValue, AWSCURRENT moves to the new version, the old
 * becomes AWSPREVIOUS) with a fresh ClientRequestToken, which the SDK's retries of the one call
 * reuse, so they never make two versions; `lost` compares the version staged AWSCURRENT
 * (DescribeSecret: metadata only, never the value) with the delivered one.
 */
export function secretsManagerSecret(inputs: AwsCallSettings, target: { secretId: string }): Destination {
  const label = `Secrets Manager secret "${target.secretId}"`;
  const resourceArn = target.secretId.startsWith("arn:")
    ? target.secretId
    : `arn:aws:secretsmanager:${inputs.region}:<account>:secret:${target.secretId}-*`;
  const describe = (operation: string) => (error: unknown, waitedMs: number) =>
    describeDestinationError(
      error,
      inputs,
      { label, service: SERVICE, iamAction: `secretsmanager:${operation}`, resourceArn },
      operation,
      waitedMs,
      (code) => {
        switch (code) {
          case "ResourceNotFoundException":
            return (
              `Create the secret first (an aws.secretsmanager.Secret) in ${inputs.region}, in the account of your ` +
              "credentials, or fix `secretId`: the token is delivered into a secret that exists."
            );
          case "InvalidRequestException":
            return "The secret may be scheduled for deletion: restore it (`aws secretsmanager restore-secret`) or choose another.";
          case "EncryptionFailure":
          case "KMSAccessDeniedException":
            return (
              "Secrets Manager could not encrypt with the secret's KMS key: check that the key is enabled, " +
              "and that the caller may use it (`kms:GenerateDataKey`, `kms:Encrypt`)."
            );
          default:
            return undefined;
        }
      },
    );
  return {
    label,
    async put(token) {
      const { PutSecretValueCommand } = require("@aws-sdk/client-secrets-manager") as SecretsManagerSdk;
      const command = new PutSecretValueCommand({
        SecretId: target.secretId,
        SecretString: token,
        ClientRequestToken: randomUUID(),
      });
      const response = await callAws(
        "secrets-manager",
        inputs,
        (client, options) => client.send(command, options),
        describe("PutSecretValue"),
      );
      if (!response.VersionId) {
        throw describe("PutSecretValue")(
          { name: "IncompleteResponse", message: "the response lacks the VersionId", $metadata: response.$metadata },
          0,
        );
      }
      return response.VersionId;
    },
    async lost(version) {
      const { DescribeSecretCommand } = require("@aws-sdk/client-secrets-manager") as SecretsManagerSdk;
      const command = new DescribeSecretCommand({ SecretId: target.secretId });
      const response = await callAws(
        "secrets-manager",
        inputs,
        (client, options) => orAbsent(client.send(command, options), "ResourceNotFoundException"),
        describe("DescribeSecret"),
      );
      if (!response) return `${label} no longer exists`;
      if (response.DeletedDate) return `${label} is scheduled for deletion`;
      const current = Object.entries(response.VersionIdsToStages ?? {}).find(([, stages]) =>
        stages.includes("AWSCURRENT"),
      )?.[0];
      return current === version ? undefined : `${label} has ${current ?? "no"} current version, not ${version}`;
    },
  };
}
