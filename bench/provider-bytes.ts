import type * as Package from "../provider";
import { VIRTUAL_CLUSTER_ID, ENDPOINT_ID, EXECUTION_ROLE_ARN } from "../tests/fixtures/session-inputs";
import { serializedProviderOf } from "../tests/support/serialized-provider";

/**
 * The bytes of the `__provider` that a program registers with the package loaded from
 * `packageDir` (an installed package, or the checkout's `dist/provider`): what every
 * credentials resource stores in the stack's state.
 */
export async function providerBytes(packageDir: string): Promise<number> {
  const { ManagedEndpointSessionCredentials } = require(packageDir) as typeof Package;
  const registration = await serializedProviderOf(
    () =>
      new ManagedEndpointSessionCredentials("session", {
        virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
        endpointIdentifier: ENDPOINT_ID,
        executionRoleArn: EXECUTION_ROLE_ARN,
        region: "us-west-2",
      }),
  );
  return Buffer.byteLength(registration.provider);
}
