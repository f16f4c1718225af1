import { readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";

/** The type token the engine sees for `ManagedEndpointSessionCredentials`. */
export const CREDENTIALS_TYPE = "pulumi-nodejs:dynamic/emr-containers:ManagedEndpointSessionCredentials";

/** A Pulumi project as the engine would load it: its name, its directory and its `local` stack config. */
export interface LocalStack {
  project: string;
  programDir: string;
  /** The `local` stack's config, values as strings (as `PULUMI_CONFIG` carries them). */
  config: Record<string, string>;
}

/** Reads `Pulumi.yaml` and `Pulumi.local.yaml` of the project in `programDir`. */
export function localStack(programDir: string): LocalStack {
  const project = (load(readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
  const stack = load(readFileSync(path.join(programDir, "Pulumi.local.yaml"), "utf8")) as {
    config?: Record<string, unknown>;
  };
  const config = Object.fromEntries(Object.entries(stack.config ?? {}).map(([k, v]) => [k, String(v)]));
  return { project, programDir, config };
}

/**
 * The environment for running a stack offline: fake static AWS credentials, no shared config
 * files and no instance metadata lookups, so that nothing reaches real AWS or waits on it.
 */
export const OFFLINE_AWS_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: "AKIDLOCALSTANDIN",
  AWS_SECRET_ACCESS_KEY: "local-stand-in-secret",
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};
