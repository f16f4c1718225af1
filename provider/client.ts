import { callLimits, type CallLimits } from "./call-limits";
import { describeCallError } from "./errors";
import type { SessionCredentialsInputs } from "./inputs";
import { forgetRateLimiters, retryingClientConfig } from "./retry-strategy";

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");
type CredentialProviderNode = typeof import("@aws-sdk/credential-provider-node");
type EmrContainersClient = InstanceType<EmrContainersSdk["EMRContainersClient"]>;

/** What `callService` hands a call besides the client: the abort signal of the call's deadline. */
export interface CallOptions {
  abortSignal: AbortSignal;
}

/**
 * Where the process keeps its clients: on `globalThis`, not in a module variable. Pulumi copies
 * this module by value into `__provider` when the package is not under `node_modules` (a
 * checkout, a `file:` link), and a module variable would then be serialized with whatever clients
 * it holds (a Map does not even survive serialization); `globalThis` is never serialized and is
 * one per process, whichever copies of this module the process loaded.
 */
const CLIENTS_KEY = "__pulumiEmrSessionCredentialsClients";

function cachedClients(): Map<string, EmrContainersClient> {
  const global = globalThis as { [CLIENTS_KEY]?: Map<string, EmrContainersClient> };
  return (global[CLIENTS_KEY] ??= new Map<string, EmrContainersClient>());
}

/**
 * The client for `inputs`' region, endpoint, profile, attempts and timeouts, made at the first
 * call of the process and kept: its credential provider resolves credentials (assuming a role,
 * reading an SSO cache) once for every resource that shares it, and refreshes them as they expire.
 * Its retries and timeouts are `retryingClientConfig`'s: throttling paced by the process's rate
 * limiter for the account and region, each attempt cut off after `limits.attemptTimeoutMs`.
 */
function serviceClient(inputs: SessionCredentialsInputs, limits: CallLimits): EmrContainersClient {
  const key = JSON.stringify([inputs.region, inputs.endpoint, inputs.profile, limits]);
  const clients = cachedClients();
  const cached = clients.get(key);
  if (cached) return cached;
  // Required here, not at module level: a client object does not serialize into `__provider`.
  const { EMRContainersClient } = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
  const { defaultProvider } = require("@aws-sdk/credential-provider-node") as CredentialProviderNode;
  const client = new EMRContainersClient({
    region: inputs.region,
    ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
    ...(inputs.profile ? { credentials: defaultProvider({ profile: inputs.profile }) } : {}),
    ...retryingClientConfig(inputs, limits),
  });
  clients.set(key, client);
  return client;
}

/**
 * Destroys and forgets every client the process keeps, and their rate limiters, so that the next
 * call makes new ones and resolves credentials anew. For tests that change the environment the
 * credentials come from, or that leave a limiter slowed down.
 */
export function forgetServiceClients(): void {
  const clients = cachedClients();
  for (const client of clients.values()) client.destroy();
  clients.clear();
  forgetRateLimiters();
}

/**
 * Calls the service once with the process's client for `inputs` (see `serviceClient`). `call`
 * sends one command with the given options; the SDK retries it as configured, and the call's
 * abort signal cuts it off after `timeoutSeconds` over all attempts. Rejects with
 * `describeCallError`'s message, naming `operation` and how long it waited, when the call fails.
 */
export async function callService<Output>(
  inputs: SessionCredentialsInputs,
  operation: string,
  call: (client: EmrContainersClient, options: CallOptions) => Promise<Output>,
): Promise<Output> {
  const started = performance.now();
  const limits = callLimits(inputs);
  try {
    return await call(serviceClient(inputs, limits), { abortSignal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    throw describeCallError(error, inputs, operation, performance.now() - started);
  }
}
