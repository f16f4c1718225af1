import { randomUUID } from "node:crypto";
import { describeCallError, resourceLabel } from "./errors";
import type { SessionCredentialsInputs, SessionCredentialsOutputs } from "./inputs";
import { isRenewalDue, renewalTime, serviceClockOffset, type Clock } from "./renewal";

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");
type CredentialProviderNode = typeof import("@aws-sdk/credential-provider-node");

/** A token that expires this much sooner than a freshly minted one was minted earlier. */
const REPLAY_TOLERANCE_MS = 60_000;

/** An EMR containers client for `inputs`' region, endpoint, profile and retries. */
export function createClient(inputs: SessionCredentialsInputs) {
  // Required here, not at module level: a client object does not serialize into `__provider`.
  const { EMRContainersClient } = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
  const { defaultProvider } = require("@aws-sdk/credential-provider-node") as CredentialProviderNode;
  return new EMRContainersClient({
    region: inputs.region,
    ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
    ...(inputs.maxAttempts ? { maxAttempts: inputs.maxAttempts } : {}),
    ...(inputs.profile ? { credentials: defaultProvider({ profile: inputs.profile }) } : {}),
  });
}

/**
 * Mints one token: exactly one GetManagedEndpointSessionCredentials `send`, whose automatic
 * retries all carry the same `clientToken` (the input's, else a fresh UUID), so they never mint
 * two. Measures the service's clock from the response's `Date` header. Rejects, with a message
 * naming the endpoint and what to do, when the call fails or when the service hands back an
 * earlier token that is already due for renewal (a pinned `clientToken` replayed).
 */
export async function mintToken(
  inputs: SessionCredentialsInputs,
  clock: Clock,
): Promise<
  Pick<SessionCredentialsOutputs, "token" | "expiresAt" | "renewAt" | "serviceClockOffsetMs"> & { id: string }
> {
  const { GetManagedEndpointSessionCredentialsCommand } = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
  const client = createClient(inputs);
  let offsetMs = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers;
      offsetMs = serviceClockOffset(headers?.date, clock());
      return result;
    },
    { step: "deserialize", name: "measureServiceClock" },
  );
  let response;
  try {
    response = await client.send(
      new GetManagedEndpointSessionCredentialsCommand({
        virtualClusterIdentifier: inputs.virtualClusterIdentifier,
        endpointIdentifier: inputs.endpointIdentifier,
        executionRoleArn: inputs.executionRoleArn,
        credentialType: inputs.credentialType,
        durationInSeconds: inputs.durationInSeconds,
        logContext: inputs.logContext,
        clientToken: inputs.clientToken ?? randomUUID(),
      }),
    );
  } catch (error) {
    throw describeCallError(error, inputs);
  } finally {
    client.destroy();
  }
  const token = response.credentials?.token;
  if (!response.id || !token || !response.expiresAt) {
    throw describeCallError(
      {
        name: "IncompleteResponse",
        message: "the response lacks an id, a token or expiresAt",
        $metadata: response.$metadata,
      },
      inputs,
    );
  }
  const expiresAt = response.expiresAt.toISOString();
  const renewAt = renewalTime(expiresAt, inputs.renewBeforeSeconds);
  const now = clock();
  const mintedEarlier = Date.parse(expiresAt) < now + offsetMs + inputs.durationInSeconds * 1000 - REPLAY_TOLERANCE_MS;
  if (mintedEarlier && isRenewalDue(now, renewAt, offsetMs)) {
    throw new Error(
      `${resourceLabel(inputs)}: the service handed back ` +
        `a token minted earlier for clientToken "${inputs.clientToken ?? ""}", which expires at ${expiresAt}, ` +
        `inside the renewal window (request id ${response.$metadata.requestId ?? "unknown"}). A pinned clientToken ` +
        "always returns the same token: change `clientToken` (for example, add the date) or remove it, " +
        "so that each renewal mints a new token.",
    );
  }
  return { id: response.id, token, expiresAt, renewAt, serviceClockOffsetMs: offsetMs };
}
