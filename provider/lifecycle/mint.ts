import { randomUUID } from "node:crypto";
import type { GetManagedEndpointSessionCredentialsRequest } from "@aws-sdk/client-emr-containers";
import { callService } from "../aws/client";
import { describeCallError, resourceLabel } from "../aws/errors";
import type { SessionCredentialsInputs, SessionCredentialsOutputs } from "./inputs";
import { grantedSeconds, isRenewalDue, renewalTime, serviceClockOffset, type Clock, type TokenLife } from "./renewal";

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");

/** What a mint adds to the inputs: the token, its times, and the credentials' id. */
export type MintedToken = Pick<
  SessionCredentialsOutputs,
  "token" | "expiresAt" | "renewAt" | "serviceClockOffsetMs" | "grantedSeconds"
> & { id: string; token: string };

/** The GetManagedEndpointSessionCredentials request for checked `inputs`, with `clientToken`. */
export function credentialsRequest(
  inputs: SessionCredentialsInputs,
  clientToken: string,
): GetManagedEndpointSessionCredentialsRequest {
  return {
    virtualClusterIdentifier: inputs.virtualClusterIdentifier,
    endpointIdentifier: inputs.endpointIdentifier,
    executionRoleArn: inputs.executionRoleArn,
    credentialType: inputs.credentialType,
    durationInSeconds: inputs.durationInSeconds,
    logContext: inputs.logContext,
    clientToken,
  };
}

/**
 * Mints one token: exactly one GetManagedEndpointSessionCredentials `send`, whose automatic
 * retries all carry the same `clientToken` (the input's, else a fresh UUID), so they never mint
 * two. Measures the service's clock from the response's `Date` header, and the life granted.
 * A token minted for a fresh UUID is new: a shorter life than asked is accepted, with the renewal
 * window scaled to it. A pinned `clientToken` may hand back a token minted earlier, which cannot
 * be told from a short grant: its window is not scaled, and a token already due is refused.
 * Rejects, with a message naming the endpoint and what to do, when the call fails or on that refusal.
 */
export async function mintToken(inputs: SessionCredentialsInputs, clock: Clock): Promise<MintedToken> {
  const { GetManagedEndpointSessionCredentialsCommand } = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
  const pinned = inputs.clientToken !== undefined;
  const command = new GetManagedEndpointSessionCredentialsCommand(
    credentialsRequest(inputs, inputs.clientToken ?? randomUUID()),
  );
  let offsetMs = 0;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers;
      offsetMs = serviceClockOffset(headers?.date, clock());
      return result;
    },
    { step: "deserialize", name: "measureServiceClock" },
  );
  const response = await callService(inputs, "GetManagedEndpointSessionCredentials", (client, options) =>
    client.send(command, options),
  );
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
  const now = clock();
  const granted = pinned ? undefined : grantedSeconds(expiresAt, inputs.durationInSeconds, now + offsetMs);
  const life = {
    expiresAt,
    durationInSeconds: inputs.durationInSeconds,
    renewBeforeSeconds: inputs.renewBeforeSeconds,
    serviceClockOffsetMs: offsetMs,
    ...(granted === undefined ? {} : { grantedSeconds: granted }),
  } satisfies TokenLife;
  const renewAt = renewalTime(life);
  if (pinned && isRenewalDue(now, renewAt)) {
    throw new Error(
      `${resourceLabel(inputs)}: the service handed back, for clientToken "${inputs.clientToken}", ` +
        `a token that expires at ${expiresAt}, already inside the renewal window ` +
        `(request id ${response.$metadata.requestId ?? "unknown"}). A pinned clientToken always returns the token ` +
        "first minted for it, so it cannot renew: change `clientToken` (for example, add the date) or remove it, " +
        "so that each renewal mints a new token.",
    );
  }
  return { id: response.id, token, ...life, renewAt };
}
