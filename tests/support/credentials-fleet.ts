// A platform's stack of many credentials, as the real CLI runs it against a throttling stand-in:
// the Pulumi program (`fleetProgram`, run inside the program's process) and its stack
// (`startFleetStack`: the package installed from its tarball, an EMR stand-in, a CliStack).
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../../provider";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, REGION, VIRTUAL_CLUSTER_ID } from "../fixtures/session-inputs";
import { EmrServiceStandIn, type RateLimit } from "./emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./local-stack";
import { CliStack } from "./pulumi-cli";
import { installAsUser } from "./user-install";

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

/** A fleet's stack under the real CLI, and the stand-in it mints at. */
export interface FleetStack {
  cli: CliStack;
  standIn: EmrServiceStandIn;
  /** Stops the stand-in and removes the stack and the program directory. */
  dispose(): Promise<void>;
}

/** Makes a fleet stack of `count` credentials (config `fleet:count`), the stand-in throttling at `rateLimit`. */
export async function startFleetStack(count: number, rateLimit: RateLimit): Promise<FleetStack> {
  const install = installAsUser({ project: "fleet", prefix: "fleet-" });
  const standIn = await EmrServiceStandIn.start({ rateLimit });
  try {
    writeFileSync(
      path.join(install.programDir, "index.js"),
      `require(${JSON.stringify(__filename)}).fleetProgram(() =>\n  require(${JSON.stringify(install.packageName)}),\n);\n`,
    );
    const cli = await CliStack.init({
      programDir: install.programDir,
      stack: "fleet",
      config: { "fleet:count": String(count), "fleet:apiEndpoint": standIn.endpoint },
      env: OFFLINE_AWS_ENV,
    });
    return {
      cli,
      standIn,
      dispose: async () => {
        cli.dispose();
        await standIn.close();
        install.remove();
      },
    };
  } catch (error) {
    await standIn.close();
    install.remove();
    throw error;
  }
}
