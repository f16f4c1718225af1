/**
 * Input validation of the EMR containers service, as the stand-in applies it.
 *
 * Constraints come from the service model (botocore
 * `emr-containers/2020-10-01/service-2.json`); patterns must match the whole
 * value, as the service's validator does. Messages imitate the service's
 * "N validation error(s) detected: ..." form.
 */

/** A GetManagedEndpointSessionCredentials call that passed validation, defaults applied. */
export interface SessionCredentialsParams {
  virtualClusterIdentifier: string;
  endpointIdentifier: string;
  executionRoleArn: string;
  credentialType: "TOKEN";
  /** 900 when the request omitted it. */
  durationInSeconds: number;
  logContext?: string;
  clientToken?: string;
}

/** The path labels of a request, already percent-decoded. */
export interface PathLabels {
  virtualClusterIdentifier: string;
  endpointIdentifier: string;
}

/** Either the validated parameters or the message of a 400 ValidationException. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Default `durationInSeconds` (15 minutes). */
export const DEFAULT_DURATION_SECONDS = 900;
/** Largest accepted `durationInSeconds` (12 hours). */
export const MAX_DURATION_SECONDS = 43_200;

interface StringRule {
  min: number;
  max: number;
  pattern: RegExp;
}

const NON_BLANK = /^.*\S.*$/;
const ROLE_ARN = /^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$/;
const LOG_CONTEXT = /^((?!.*-s3alias)(?!xn--.*)[a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;
const RESOURCE_ID = /^[0-9a-z]+$/;

const IDENTIFIER: StringRule = { min: 1, max: 2048, pattern: NON_BLANK };
const RULES = {
  executionRoleArn: { min: 20, max: 2048, pattern: ROLE_ARN },
  credentialType: { min: 1, max: 64, pattern: NON_BLANK },
  logContext: { min: 3, max: 63, pattern: LOG_CONTEXT },
  clientToken: { min: 1, max: 64, pattern: NON_BLANK },
} satisfies Record<string, StringRule>;
const RESOURCE_ID_RULE: StringRule = { min: 1, max: 64, pattern: RESOURCE_ID };

/**
 * Validates a GetManagedEndpointSessionCredentials request: its decoded path
 * labels and its parsed JSON body. Every problem is reported, not just the first.
 */
export function validateSessionCredentialsRequest(
  labels: PathLabels,
  body: unknown,
): ValidationResult<SessionCredentialsParams> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, message: "The request body must be a JSON object." };
  }
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  checkString(problems, "virtualClusterIdentifier", labels.virtualClusterIdentifier, IDENTIFIER, true);
  checkString(problems, "endpointIdentifier", labels.endpointIdentifier, IDENTIFIER, true);
  checkString(problems, "executionRoleArn", input.executionRoleArn, RULES.executionRoleArn, true);
  if (checkString(problems, "credentialType", input.credentialType, RULES.credentialType, true)) {
    if (input.credentialType !== "TOKEN") {
      problems.push(
        constraint("credentialType", input.credentialType, "Member must be TOKEN, the only supported credential type"),
      );
    }
  }
  checkString(problems, "logContext", input.logContext, RULES.logContext, false);
  checkString(problems, "clientToken", input.clientToken, RULES.clientToken, false);
  const duration = input.durationInSeconds ?? DEFAULT_DURATION_SECONDS;
  if (typeof duration !== "number" || !Number.isInteger(duration)) {
    problems.push(constraint("durationInSeconds", duration, "Member must be an integer"));
  } else if (duration < 1) {
    problems.push(constraint("durationInSeconds", duration, "Member must have value greater than or equal to 1"));
  } else if (duration > MAX_DURATION_SECONDS) {
    problems.push(
      constraint("durationInSeconds", duration, `Member must have value less than or equal to ${MAX_DURATION_SECONDS}`),
    );
  }
  if (problems.length > 0) return { ok: false, message: summarize(problems) };
  return {
    ok: true,
    value: {
      ...labels,
      executionRoleArn: input.executionRoleArn as string,
      credentialType: "TOKEN",
      durationInSeconds: duration as number,
      ...(input.logContext === undefined ? {} : { logContext: input.logContext as string }),
      ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken as string }),
    },
  };
}

/**
 * Validates DescribeManagedEndpoint's path labels. Unlike the credentials call,
 * its model types both as resource IDs (1–64 chars, `[0-9a-z]+`): ARNs are refused.
 */
export function validateDescribeEndpointRequest(labels: PathLabels): ValidationResult<PathLabels> {
  const problems: string[] = [];
  checkString(problems, "virtualClusterId", labels.virtualClusterIdentifier, RESOURCE_ID_RULE, true);
  checkString(problems, "id", labels.endpointIdentifier, RESOURCE_ID_RULE, true);
  return problems.length > 0 ? { ok: false, message: summarize(problems) } : { ok: true, value: labels };
}

/** Appends the problems of one string member; returns whether it is a valid, present string. */
function checkString(problems: string[], name: string, value: unknown, rule: StringRule, required: boolean): boolean {
  if (value === undefined || value === null) {
    if (required) problems.push(constraint(name, value, "Member must not be null"));
    return false;
  }
  if (typeof value !== "string") {
    problems.push(constraint(name, value, "Member must be a string"));
    return false;
  }
  const before = problems.length;
  if (value.length < rule.min) {
    problems.push(constraint(name, value, `Member must have length greater than or equal to ${rule.min}`));
  }
  if (value.length > rule.max) {
    problems.push(constraint(name, value, `Member must have length less than or equal to ${rule.max}`));
  }
  if (!rule.pattern.test(value)) {
    problems.push(constraint(name, value, `Member must satisfy regular expression pattern: ${rule.pattern.source}`));
  }
  return problems.length === before;
}

function constraint(name: string, value: unknown, rule: string): string {
  return `Value ${value === undefined ? "null" : JSON.stringify(value)} at '${name}' failed to satisfy constraint: ${rule}`;
}

function summarize(problems: string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
}
