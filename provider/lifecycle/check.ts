import type { CheckFailure } from "@pulumi/pulumi/provider";
import { checkDeliverTo } from "../destinations/check";
import type { Props } from "./inputs";
import { isResourceId, parseEndpointArn, parseVirtualClusterArn, type EmrArn } from "./identifiers";

/** The value the engine sends for an input that is not known yet (during a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Where defaults come from, besides the inputs: the stack's config and the environment. */
export interface CheckContext {
  /** The namespace of the stack config the defaults come from, as messages name it. Default `aws`. */
  configNamespace?: string;
  /** Stack config `<configNamespace>:region`. */
  stackRegion?: string;
  /** Stack config `<configNamespace>:profile`. */
  stackProfile?: string;
  /** Environment variables (`AWS_REGION`, `AWS_DEFAULT_REGION`). */
  env: Record<string, string | undefined>;
}

/** Default `durationInSeconds`, as the service's own default. */
export const DEFAULT_DURATION_SECONDS = 900;
/** The service's maximum `durationInSeconds`. */
export const MAX_DURATION_SECONDS = 43200;

const NON_BLANK = /\S/;
/** The line terminators of the service's Java patterns, which its `.*\S.*` admits nowhere but in place of the `\S`. */
const LINE_TERMINATOR = /[\n\r\u0085\u2028\u2029]/;
const ROLE_ARN = /^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\/)|(\/[\u0021-\u007F]+\/))[\w+=,.@-]+)$/;
const LOG_CONTEXT = /^((?!.*-s3alias)(?!xn--.*)[a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

type Rule = (value: unknown) => string | undefined;

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** A value as a message shows it: strings quoted, numbers as written (NaN, Infinity), objects by kind. */
function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

/** A string of `min`..`max` characters with something other than white space, matching `pattern`. */
function text(min: number, max: number, pattern?: RegExp, patternHint?: string): Rule {
  return (value) => {
    if (typeof value !== "string") return `must be a string, got ${typeof value}`;
    if (value.length < min || value.length > max) {
      return `must be ${min} to ${max} characters long, got ${value.length}`;
    }
    if (!NON_BLANK.test(value)) return "must not be blank";
    if (pattern && !pattern.test(value)) return `must be ${patternHint}`;
    return undefined;
  };
}

/** An integer from `min` to `max`. */
function integer(min: number, max: number): Rule {
  return (value) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}, got ${shown(value)}`;
}

const identifier =
  (kind: "virtual cluster" | "managed endpoint", parse: (v: string) => EmrArn | undefined): Rule =>
  (value) =>
    text(1, 2048)(value) ??
    (isResourceId(value as string) || parse(value as string)
      ? undefined
      : `must be a ${kind} ID ([0-9a-z], at most 64 characters) or a ${kind} ARN, got ${shown(value)}`);

const regionRule = text(1, 64, REGION, "an AWS region such as us-west-2");

const RULES: Record<string, Rule> = {
  virtualClusterIdentifier: identifier("virtual cluster", parseVirtualClusterArn),
  endpointIdentifier: identifier("managed endpoint", parseEndpointArn),
  executionRoleArn: text(20, 2048, ROLE_ARN, "an IAM role ARN (arn:aws:iam::123456789012:role/name)"),
  credentialType: (value) =>
    value === "TOKEN" ? undefined : `must be "TOKEN", the only type the service supports, got ${shown(value)}`,
  durationInSeconds: integer(1, MAX_DURATION_SECONDS),
  logContext: text(
    3,
    63,
    LOG_CONTEXT,
    "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  ),
  clientToken: (value) =>
    text(1, 64)(value) ?? (LINE_TERMINATOR.test(value as string) ? "must be one line, without line breaks" : undefined),
  renewBeforeSeconds: (value) =>
    typeof value === "number" && Number.isFinite(value) && value >= 0
      ? undefined
      : `must be a number of seconds, 0 or more, got ${shown(value)}`,
  triggers: (value) =>
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string" || isUnknown(v))
      ? undefined
      : "must be a map of strings",
  region: regionRule,
  profile: text(1, 256),
  endpoint: (value) =>
    typeof value === "string" && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)
      ? undefined
      : `must be an http(s) URL such as https://vpce-0123.emr-containers.us-west-2.vpce.amazonaws.com, got ${shown(value)}`,
  maxAttempts: integer(1, 20),
  timeoutSeconds: integer(1, 3600),
  describeEndpoint: (value) => (typeof value === "boolean" ? undefined : "must be true or false"),
  resourceName: text(1, 1024),
  // Checked member by member by `checkDeliverTo`, whose failures name the member.
  deliverTo: () => undefined,
};

const REQUIRED = ["virtualClusterIdentifier", "endpointIdentifier", "executionRoleArn"];

/**
 * Validates the inputs against every constraint of GetManagedEndpointSessionCredentials and of
 * this resource, and fills in the defaults: `credentialType` TOKEN, `durationInSeconds` 900,
 * `renewBeforeSeconds` a third of the duration, the region (input, else the ARNs', else stack
 * config `aws:region` or, per `context.configNamespace`, its like, else `AWS_REGION`/`AWS_DEFAULT_REGION`)
 * and the profile (else stack config `aws:profile` or its like),
 * each checked like an input and named with where it came from. A name that is not an input is a
 * failure. Unknown values (a preview's) are never failures. Never throws; makes no call.
 */
export function checkInputs(news: Props, context: CheckContext): { inputs: Props; failures: CheckFailure[] } {
  const inputs: Props = Object.fromEntries(Object.entries(news).filter(([, v]) => v !== undefined && v !== null));
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const stackConfig = (key: string) => `stack config ${context.configNamespace ?? "aws"}:${key}`;

  inputs.credentialType ??= "TOKEN";
  inputs.durationInSeconds ??= DEFAULT_DURATION_SECONDS;
  if (inputs.renewBeforeSeconds === undefined && RULES.durationInSeconds!(inputs.durationInSeconds) === undefined) {
    inputs.renewBeforeSeconds = Math.floor((inputs.durationInSeconds as number) / 3);
  }
  if (inputs.profile === undefined && context.stackProfile) {
    const reason = RULES.profile!(context.stackProfile);
    if (reason) fail("profile", `taken from ${stackConfig("profile")}, ${reason}`);
    else inputs.profile = context.stackProfile;
  }

  for (const property of REQUIRED) {
    if (inputs[property] === undefined) fail(property, "is required");
  }
  for (const [property, value] of Object.entries(inputs)) {
    if (!Object.hasOwn(RULES, property)) {
      fail(property, "is not an input of ManagedEndpointSessionCredentials");
      continue;
    }
    if (property === "deliverTo") failures.push(...checkDeliverTo(value, isUnknown));
    if (isUnknown(value)) continue;
    const reason = RULES[property]!(value);
    if (reason) fail(property, reason);
  }
  const failed = new Set(failures.map((f) => f.property));
  const known = (p: string) => inputs[p] !== undefined && !isUnknown(inputs[p]) && !failed.has(p);

  if (
    known("renewBeforeSeconds") &&
    known("durationInSeconds") &&
    (inputs.renewBeforeSeconds as number) >= (inputs.durationInSeconds as number)
  ) {
    fail(
      "renewBeforeSeconds",
      `must be less than durationInSeconds (${String(inputs.durationInSeconds)}), or every up would renew the token`,
    );
  }

  const cluster = known("virtualClusterIdentifier")
    ? parseVirtualClusterArn(inputs.virtualClusterIdentifier as string)
    : undefined;
  const endpoint = known("endpointIdentifier") ? parseEndpointArn(inputs.endpointIdentifier as string) : undefined;
  if (endpoint && known("virtualClusterIdentifier")) {
    const clusterId = cluster?.virtualClusterId ?? (inputs.virtualClusterIdentifier as string);
    if (endpoint.virtualClusterId !== clusterId) {
      fail("endpointIdentifier", `is an endpoint of virtual cluster ${endpoint.virtualClusterId}, not of ${clusterId}`);
    }
    if (cluster) {
      for (const part of ["partition", "region", "accountId"] as const) {
        if (cluster[part] !== endpoint[part]) {
          fail(
            "endpointIdentifier",
            `ARN has ${part} ${endpoint[part]}, but the virtual cluster ARN has ${cluster[part]}`,
          );
        }
      }
    }
  }

  const arnRegion = (endpoint ?? cluster)?.region;
  if (inputs.region === undefined) {
    const [source, region] = [
      ["the identifiers' ARN", arnRegion],
      [stackConfig("region"), context.stackRegion],
      ["AWS_REGION", context.env.AWS_REGION],
      ["AWS_DEFAULT_REGION", context.env.AWS_DEFAULT_REGION],
    ].find(([, candidate]) => candidate) ?? [undefined, undefined];
    const reason = region === undefined ? undefined : regionRule(region);
    if (reason) fail("region", `taken from ${source}, ${reason}, got ${shown(region)}`);
    else if (region) inputs.region = region;
    else if (!isUnknown(inputs.virtualClusterIdentifier) && !isUnknown(inputs.endpointIdentifier)) {
      fail(
        "region",
        "no AWS region is set: set `region` on the resource, give an ARN identifier, " +
          `run \`pulumi config set ${context.configNamespace ?? "aws"}:region <region>\`, or set AWS_REGION`,
      );
    }
  } else if (arnRegion && known("region") && inputs.region !== arnRegion) {
    fail("region", `is ${inputs.region as string}, but the identifiers' ARN is in ${arnRegion}`);
  }
  return { inputs, failures };
}
