import { callLimits, type CallLimits } from "./call-limits";
import { describeCallError } from "./errors";
import type { AwsCallSettings, EndpointCallSettings } from "./call-settings";
import { forgetRateLimiters, retryingClientConfig } from "./retry-strategy";

type CredentialProviderNode = typeof import("@aws-sdk/credential-provider-node");
type EmrContainersClient = InstanceType<(typeof import("@aws-sdk/client-emr-containers"))["EMRContainersClient"]>;
type SsmClient = InstanceType<(typeof import("@aws-sdk/client-ssm"))["SSMClient"]>;
type SecretsManagerClient = InstanceType<(typeof import("@aws-sdk/client-secrets-manager"))["SecretsManagerClient"]>;

/** The client of each AWS service the provider calls, by the service's kind. */
interface ServiceClients {
  "emr-containers": EmrContainersClient;
  ssm: SsmClient;
  "secrets-manager": SecretsManagerClient;
}

/** An AWS service the provider calls. */
export type ServiceKind = keyof ServiceClients;

/** Where each kind's client class is: its SDK package and the class's name there. */
const CLIENT_CLASSES: Record<ServiceKind, [module: string, className: string]> = {
  "emr-containers": ["@aws-sdk/client-emr-containers", "EMRContainersClient"],
  ssm: ["@aws-sdk/client-ssm", "SSMClient"],
  "secrets-manager": ["@aws-sdk/client-secrets-manager", "SecretsManagerClient"],
};

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

type AnyClient = ServiceClients[ServiceKind];

function cachedClients(): Map<string, AnyClient> {
  const global = globalThis as { [CLIENTS_KEY]?: Map<string, AnyClient> };
  return (global[CLIENTS_KEY] ??= new Map<string, AnyClient>());
}

/**
 * The client of service `kind` for `inputs`' region, profile, attempts and timeouts (and, for
 * emr-containers alone, `endpoint`: the others take theirs from the SDK's own configuration, such
 * as `AWS_ENDPOINT_URL_SSM`), made at the first call of the process and kept: its credential
 * provider resolves credentials (assuming a role, reading an SSO cache) once for every resource
 * that shares it, and refreshes them as they expire. Its retries and timeouts are
 * `retryingClientConfig`'s: throttling paced by the process's rate limiter for the service, account
 * and region, each attempt cut off after `limits.attemptTimeoutMs`.
 */
function serviceClient<K extends ServiceKind>(kind: K, inputs: AwsCallSettings, limits: CallLimits): ServiceClients[K] {
  const endpoint = kind === "emr-containers" ? inputs.endpoint : undefined;
  const key = JSON.stringify([kind, inputs.region, endpoint, inputs.profile, limits]);
  const clients = cachedClients();
  const cached = clients.get(key);
  if (cached) return cached;
  // Required here, not at module level: a client object does not serialize into `__provider`,
  // and the SSM and Secrets Manager clients load only when a token is delivered.
  const [module, className] = CLIENT_CLASSES[kind];
  const ClientClass = (require(module) as Record<string, new (config: object) => ServiceClients[K]>)[className]!;
  const { defaultProvider } = require("@aws-sdk/credential-provider-node") as CredentialProviderNode;
  const client = new ClientClass({
    region: inputs.region,
    ...(endpoint ? { endpoint } : {}),
    ...(inputs.profile ? { credentials: defaultProvider({ profile: inputs.profile }) } : {}),
    ...retryingClientConfig({ region: inputs.region, endpoint, profile: inputs.profile }, limits, kind),
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
 * Calls service `kind` once with the process's client for `inputs` (see `serviceClient`). `call`
 * sends one command with the given options; the SDK retries it as configured, and the call's
 * abort signal cuts it off after `timeoutSeconds` over all attempts. Rejects with
 * `describeError(error, waitedMs)` when the call fails.
 */
export async function callAws<K extends ServiceKind, Output>(
  kind: K,
  inputs: AwsCallSettings,
  call: (client: ServiceClients[K], options: CallOptions) => Promise<Output>,
  describeError: (error: unknown, waitedMs: number) => Error,
): Promise<Output> {
  const started = performance.now();
  const limits = callLimits(inputs);
  try {
    return await call(serviceClient(kind, inputs, limits), { abortSignal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    throw describeError(error, performance.now() - started);
  }
}

/**
 * Calls the EMR on EKS service (see `callAws`). Rejects with `describeCallError`'s message,
 * naming `operation` and how long it waited, when the call fails.
 */
export function callService<Output>(
  inputs: EndpointCallSettings,
  operation: string,
  call: (client: EmrContainersClient, options: CallOptions) => Promise<Output>,
): Promise<Output> {
  return callAws("emr-containers", inputs, call, (error, waitedMs) =>
    describeCallError(error, inputs, operation, waitedMs),
  );
}
