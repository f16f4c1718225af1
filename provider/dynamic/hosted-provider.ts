import { SessionCredentialsProvider } from "../lifecycle/session-credentials-provider";

/**
 * The one `SessionCredentialsProvider` (system clock) a dynamic-provider host process runs for
 * every `ManagedEndpointSessionCredentials` it serves. `providerShim` loads it by package name
 * from the program's directory, so it is the installed package's code.
 */
export const hostedProvider = new SessionCredentialsProvider();
