// The floor for one token through Pulumi's dynamic-provider host, measured as one piece: a trivial
// dynamic provider whose create makes the one GetManagedEndpointSessionCredentials call with a
// client it keeps for the process, inside the host, as the package's create does.
import * as pulumi from "@pulumi/pulumi";

/** What the floor's create sends: the call's parameters and where the service is. */
interface FloorInputs {
  virtualClusterIdentifier: string;
  endpointIdentifier: string;
  executionRoleArn: string;
  region: string;
  endpoint: string;
}

type EmrContainersSdk = typeof import("@aws-sdk/client-emr-containers");
type EmrContainersClient = InstanceType<EmrContainersSdk["EMRContainersClient"]>;

const floorProvider: pulumi.dynamic.ResourceProvider<FloorInputs, { token: string }> = {
  async create(inputs) {
    const sdk = require("@aws-sdk/client-emr-containers") as EmrContainersSdk;
    const process = globalThis as { benchFloorClient?: EmrContainersClient };
    process.benchFloorClient ??= new sdk.EMRContainersClient({ region: inputs.region, endpoint: inputs.endpoint });
    const response = await process.benchFloorClient.send(
      new sdk.GetManagedEndpointSessionCredentialsCommand({
        virtualClusterIdentifier: inputs.virtualClusterIdentifier,
        endpointIdentifier: inputs.endpointIdentifier,
        executionRoleArn: inputs.executionRoleArn,
        credentialType: "TOKEN",
      }),
    );
    return { id: response.id ?? "", outs: { token: response.credentials?.token ?? "" } };
  },
};

/** A resource of the floor provider: one SDK call from inside the host per create, and nothing else. */
export class HostSdkFloor extends pulumi.dynamic.Resource {
  constructor(name: string, args: FloorInputs) {
    super(floorProvider, name, { ...args, token: undefined }, { additionalSecretOutputs: ["token"] });
  }
}
