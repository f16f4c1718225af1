import { describeCallError } from "./errors";
import type { SessionCredentialsInputs } from "./inputs";

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");
type CredentialProviderNode = typeof import("@aws-sdk/credential-provider-node");
type EmrContainersClient = InstanceType<EmrContainersSdk["EMRContainersClient"]>;

/**
 * Calls the service once with a fresh client for `inputs`' region, endpoint, profile and retries,
 * and destroys the client afterwards. `call` sends one command (the SDK retries it as configured).
 * Rejects with `describeCallError`'s message, naming `operation`, when the call fails.
 */
export async function callService<Output>(
  inputs: SessionCredentialsInputs,
  operation: string,
  call: (client: EmrContainersClient) => Promise<Output>,
): Promise<Output> {
  // Required here, not at module level: a client object does not serialize into `__provider`.
  const { EMRContainersClient } = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
  const { defaultProvider } = require("@aws-sdk/credential-provider-node") as CredentialProviderNode;
  const client = new EMRContainersClient({
    region: inputs.region,
    ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
    ...(inputs.maxAttempts ? { maxAttempts: inputs.maxAttempts } : {}),
    ...(inputs.profile ? { credentials: defaultProvider({ profile: inputs.profile }) } : {}),
  });
  try {
    return await call(client);
  } catch (error) {
    throw describeCallError(error, inputs, operation);
  } finally {
    client.destroy();
  }
}
