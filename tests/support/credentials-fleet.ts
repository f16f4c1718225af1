// A platform's stack of many credentials, as the real CLI runs it against a throttling stand-in:
// the Pulumi program (`fleetProgram`, run inside the program's process) and its stack
// (`startFleetStack`: a project of the one builder, `cli-project.ts`).
import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../../provider";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, REGION, VIRTUAL_CLUSTER_ID } from "../fixtures/session-inputs";
import { startCliStack, type CliProjectStack } from "./cli-project";
import type { RateLimit } from "./emr-service-stand-in";
import { packageName } from "./packed-package";
import { nodejsProgram, programCalling } from "./programs/nodejs-program";

/**
 * The program: `fleet:count` credentials `credentials-<i>` minting at `fleet:apiEndpoint`, with
 * `fleet:timeoutSeconds` when set and the package's defaults otherwise. `loadPackage` loads the
 * package as the program resolves it.
 */
export function fleetProgram(loadPackage: () => typeof Package): void {
  const config = new pulumi.Config("fleet");
  const { ManagedEndpointSessionCredentials } = loadPackage();
  const timeoutSeconds = config.getNumber("timeoutSeconds");
  for (let index = 0; index < config.requireNumber("count"); index++) {
    new ManagedEndpointSessionCredentials(`credentials-${index}`, {
      virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
      endpointIdentifier: ENDPOINT_ID,
      executionRoleArn: EXECUTION_ROLE_ARN,
      region: REGION,
      endpoint: config.require("apiEndpoint"),
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    });
  }
}

/** Makes a fleet stack of `count` credentials (config `fleet:count`), the stand-in throttling at `rateLimit`. */
export function startFleetStack(count: number, rateLimit: RateLimit): Promise<CliProjectStack> {
  return startCliStack(
    {
      program: () =>
        nodejsProgram({
          project: "fleet",
          files: { "index.js": programCalling(__filename, "fleetProgram", packageName()) },
        }),
      standIn: { rateLimit },
    },
    "fleet",
    (project) => ({ "fleet:count": String(count), "fleet:apiEndpoint": project.standIn.endpoint }),
  );
}
