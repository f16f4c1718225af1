/** The parts of an EMR on EKS virtual cluster or managed endpoint ARN. */
export interface EmrArn {
  partition: string;
  region: string;
  accountId: string;
  virtualClusterId: string;
  /** Present for an endpoint ARN only. */
  endpointId?: string;
}

const ID = "[0-9a-z]{1,64}";
const ARN_PREFIX = "arn:(aws[a-zA-Z0-9-]*):emr-containers:([a-z0-9-]+):(\\d{12}):/virtualclusters/";
const VIRTUAL_CLUSTER_ARN = new RegExp(`^${ARN_PREFIX}(${ID})$`);
const ENDPOINT_ARN = new RegExp(`^${ARN_PREFIX}(${ID})/endpoints/(${ID})$`);
const RESOURCE_ID = new RegExp(`^${ID}$`);

/** True when `value` is an EMR on EKS resource ID (`[0-9a-z]{1,64}`). */
export function isResourceId(value: string): boolean {
  return RESOURCE_ID.test(value);
}

/** Parses a virtual cluster ARN; `undefined` when `value` is not one. */
export function parseVirtualClusterArn(value: string): EmrArn | undefined {
  const m = VIRTUAL_CLUSTER_ARN.exec(value);
  return m ? { partition: m[1]!, region: m[2]!, accountId: m[3]!, virtualClusterId: m[4]! } : undefined;
}

/** Parses a managed endpoint ARN; `undefined` when `value` is not one. */
export function parseEndpointArn(value: string): EmrArn | undefined {
  const m = ENDPOINT_ARN.exec(value);
  return m
    ? { partition: m[1]!, region: m[2]!, accountId: m[3]!, virtualClusterId: m[4]!, endpointId: m[5]! }
    : undefined;
}
