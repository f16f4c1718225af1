import { EMRContainersClient, GetManagedEndpointSessionCredentialsCommand } from "@aws-sdk/client-emr-containers";
import * as path from "node:path";
import type * as Package from "../provider";
import { PLUGIN_CREDENTIALS_TYPE } from "../provider/plugin/type-token";
import { Echo } from "../tests/fixtures/echo-provider";
import { HostSdkFloor } from "./host-sdk-floor";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "../tests/fixtures/session-inputs";
import { EmrServiceStandIn } from "../tests/support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "../tests/support/local-stack";
import type { MotoServer } from "../tests/support/moto-server";
import { startProviderHost, type Props } from "../tests/support/provider-host";
import { serializedProviderOf } from "../tests/support/serialized-provider";
import type { UserInstall } from "../tests/support/user-install";
import { median, timed } from "./statistics";

/** Median ms of one create through the real host: the credentials', and the floors'. */
export interface TokenCost {
  /** One `ManagedEndpointSessionCredentials` create through the host: one token minted. */
  credentials: number;
  /** The same create through the provider plugin's server (the package's serve.js), as the engine sends it. */
  plugin: number;
  /** One echo-provider create through the same host. */
  echo: number;
  /** One GetManagedEndpointSessionCredentials call with a client reused across calls, from this process. */
  sdkCall: number;
  /** One `HostSdkFloor` create through the same host: the same call with a reused client, made in the host. */
  hostSdkCall: number;
  /** With moto: one create with `deliverTo` an SSM parameter at moto, through the same host: mint and deliver. */
  delivered?: number;
}

const PROJECT = "bench";
const STACK = "dev";
const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
const SDK_CREDENTIALS = {
  accessKeyId: OFFLINE_AWS_ENV.AWS_ACCESS_KEY_ID ?? "",
  secretAccessKey: OFFLINE_AWS_ENV.AWS_SECRET_ACCESS_KEY ?? "",
};

/**
 * Times `rounds` creates of the credentials (the package installed in `install`) and of the echo
 * provider, both through one real dynamic-provider host in the program's directory, and `rounds`
 * SDK calls with one reused client, all against the local stand-in, interleaved, after one
 * warm-up of each, and the same credentials' creates through the provider plugin's server. The
 * credentials' create costs whatever `provider/aws/client.ts` does per call.
 * With `moto`, also creates of credentials that deliver their token to an SSM parameter there.
 */
export async function tokenCost(install: UserInstall, rounds: number, moto?: MotoServer): Promise<TokenCost> {
  const standIn = await EmrServiceStandIn.start();
  const host = await startProviderHost({
    programDir: install.programDir,
    project: PROJECT,
    stack: STACK,
    env: { ...OFFLINE_AWS_ENV, ...moto?.env },
  });
  const pluginServer = await startProviderHost({
    programDir: install.programDir,
    hostScript: path.join(install.packageDir, "dist", "provider", "plugin", "serve.js"),
    env: { ...OFFLINE_AWS_ENV, PULUMI_CONFIG: JSON.stringify({ region: "us-west-2" }) },
  });
  const client = new EMRContainersClient({
    region: "us-west-2",
    endpoint: standIn.endpoint,
    credentials: SDK_CREDENTIALS,
  });
  try {
    await host.configure({ "aws:region": "us-west-2" });
    const { ManagedEndpointSessionCredentials } = require(install.packageDir) as typeof Package;
    const credentials = async (name: string, extra: Partial<Package.ManagedEndpointSessionCredentialsArgs> = {}) => {
      const registered = await serializedProviderOf(
        () =>
          new ManagedEndpointSessionCredentials(name, {
            virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
            endpointIdentifier: ENDPOINT_ID,
            executionRoleArn: EXECUTION_ROLE_ARN,
            endpoint: standIn.endpoint,
            ...extra,
          }),
        { project: PROJECT, stack: STACK },
      );
      const credentialsUrn = urn(registered.type, name);
      return { urn: credentialsUrn, inputs: (await host.check(credentialsUrn, {}, registered.inputs)).inputs };
    };
    const plain = await credentials("session");
    const pluginUrn = urn(PLUGIN_CREDENTIALS_TYPE, "session");
    const { __provider: _serialized, ...declared } = plain.inputs;
    const pluginInputs: Props = (await pluginServer.check(pluginUrn, {}, declared)).inputs;
    const delivering = moto
      ? await credentials("delivered", { deliverTo: { ssmParameter: { name: "/bench/session-token" } } })
      : undefined;
    const echo = await serializedProviderOf(() => new Echo("echo", { message: "hello" }), {
      project: PROJECT,
      stack: STACK,
    });
    const echoUrn = urn(echo.type, "echo");
    const echoInputs: Props = (await host.check(echoUrn, {}, echo.inputs)).inputs;
    const floor = await serializedProviderOf(
      () =>
        new HostSdkFloor("floor", {
          virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
          endpointIdentifier: ENDPOINT_ID,
          executionRoleArn: EXECUTION_ROLE_ARN,
          region: "us-west-2",
          endpoint: standIn.endpoint,
        }),
      { project: PROJECT, stack: STACK },
    );
    const floorUrn = urn(floor.type, "floor");
    const floorInputs: Props = (await host.check(floorUrn, {}, floor.inputs)).inputs;
    const mint = () =>
      client.send(
        new GetManagedEndpointSessionCredentialsCommand({
          virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
          endpointIdentifier: ENDPOINT_ID,
          executionRoleArn: EXECUTION_ROLE_ARN,
          credentialType: "TOKEN",
        }),
      );

    const samples: Record<keyof TokenCost, number[]> = {
      credentials: [],
      plugin: [],
      echo: [],
      sdkCall: [],
      hostSdkCall: [],
      delivered: [],
    };
    for (let round = 0; round <= rounds; round++) {
      const echoMs = await timed(() => host.create(echoUrn, echoInputs));
      const sdkMs = await timed(mint);
      const hostSdkMs = await timed(() => host.create(floorUrn, floorInputs));
      const credentialsMs = await timed(() => host.create(plain.urn, plain.inputs));
      const pluginMs = await timed(() => pluginServer.create(pluginUrn, pluginInputs));
      const deliveredMs = delivering ? await timed(() => host.create(delivering.urn, delivering.inputs)) : undefined;
      if (round === 0) continue; // the warm-up
      if (deliveredMs !== undefined) samples.delivered.push(deliveredMs);
      samples.echo.push(echoMs);
      samples.sdkCall.push(sdkMs);
      samples.hostSdkCall.push(hostSdkMs);
      samples.credentials.push(credentialsMs);
      samples.plugin.push(pluginMs);
    }
    return {
      credentials: median(samples.credentials),
      plugin: median(samples.plugin),
      echo: median(samples.echo),
      sdkCall: median(samples.sdkCall),
      hostSdkCall: median(samples.hostSdkCall),
      ...(delivering ? { delivered: median(samples.delivered) } : {}),
    };
  } finally {
    client.destroy();
    await host.stop();
    await pluginServer.stop();
    await standIn.close();
  }
}
