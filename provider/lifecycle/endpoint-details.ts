import { callService } from "../aws/client";
import { resourceLabel } from "../aws/errors";
import { parseEndpointArn, parseVirtualClusterArn } from "./identifiers";
import type { SessionCredentialsInputs, SessionCredentialsOutputs } from "./inputs";

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");

/** What a client needs to connect to the endpoint, beside the token. */
export type EndpointDetails = Pick<SessionCredentialsOutputs, "serverUrl" | "endpointState" | "certificateData">;

/**
 * Reads the endpoint's `serverUrl`, state and certificate with DescribeManagedEndpoint (which
 * takes IDs: ARNs are reduced to theirs). Rejects, saying the state and that no token was
 * minted, when the endpoint is not ACTIVE; rejects as `callService` does when the call fails.
 */
export async function describeEndpoint(inputs: SessionCredentialsInputs): Promise<EndpointDetails> {
  const { DescribeManagedEndpointCommand } = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
  const id = parseEndpointArn(inputs.endpointIdentifier)?.endpointId ?? inputs.endpointIdentifier;
  const virtualClusterId =
    parseVirtualClusterArn(inputs.virtualClusterIdentifier)?.virtualClusterId ?? inputs.virtualClusterIdentifier;
  const response = await callService(inputs, "DescribeManagedEndpoint", (client, options) =>
    client.send(new DescribeManagedEndpointCommand({ id, virtualClusterId }), options),
  );
  const endpoint = response.endpoint ?? {};
  if (endpoint.state !== "ACTIVE") {
    throw new Error(
      `${resourceLabel(inputs)}: managed endpoint ${id} in virtual cluster ${virtualClusterId} is ` +
        `${endpoint.state ?? "in no known state"}, not ACTIVE (request id ${response.$metadata.requestId ?? "unknown"}), ` +
        "so no token was minted. Wait until it is ACTIVE (`aws emr-containers describe-managed-endpoint " +
        `--id ${id} --virtual-cluster-id ${virtualClusterId}\`), or recreate it if it failed, then run the update again.`,
    );
  }
  const certificateData = endpoint.certificateAuthority?.certificateData;
  return {
    serverUrl: endpoint.serverUrl ?? "",
    endpointState: endpoint.state,
    ...(certificateData ? { certificateData } : {}),
  };
}
