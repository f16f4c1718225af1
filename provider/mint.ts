import { randomUUID } from "node:crypto";
import { callService } from "./client";
import { describeCallError, resourceLabel } from "./errors";
import type { SessionCredentialsInputs, SessionCredentialsOutputs } from "./inputs";
import { isRenewalDue, renewalTime, serviceClockOffset, type Clock } from "./renewal";

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");

/** A token that expires this much sooner than a freshly minted one was minted earlier. */
const REPLAY_TOLERANCE_MS = 60_000;

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
  let offsetMs = 0;
  const response = await callService(inputs, "GetManagedEndpointSessionCredentials", (client) => {
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const headers = (result.response as { headers?: Record<string, string> }).headers;
        offsetMs = serviceClockOffset(headers?.date, clock());
        return result;
      },
      { step: "deserialize", name: "measureServiceClock" },
    );
    return client.send(
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
  });
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
