// moto's server (PyPI `moto[server]`, installed by `npm run setup:tools`): an independent emulator
// of SSM and Secrets Manager, started on a free port of 127.0.0.1 for one suite and stopped after it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { forSuite } from "./for-suite";
import { freePort } from "./free-port";
import { UNDER_CI } from "./compat-cache";

/** The moto release the tests are written against; `npm run setup:tools` installs it. */
export const MOTO_VERSION = "5.2.5";

/** The region every test destination lives in, as the tests' stacks and inputs name it. */
const MOTO_REGION = "us-west-2";

/** A running `moto_server`. */
export interface MotoServer {
  /** Its URL, such as `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /**
   * What points the SDK's SSM and Secrets Manager calls at it (`AWS_ENDPOINT_URL_SSM`,
   * `AWS_ENDPOINT_URL_SECRETS_MANAGER`), beside dummy AWS keys and no shared config files.
   */
  readonly env: NodeJS.ProcessEnv;
  /** A real SSM client of its own, for a test to look at or change what moto holds. */
  readonly ssm: SSMClient;
  /** A real Secrets Manager client of its own, likewise. */
  readonly secretsManager: SecretsManagerClient;
  /** Forgets every parameter and secret (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops it and everything it started, and destroys its clients. */
  close(): Promise<void>;
}

/** Why moto cannot run here, or `undefined` when the pinned release is installed. */
function whyMotoIsMissing(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" });
  const version = probe.status === 0 ? probe.stdout.trim() : undefined;
  if (version !== MOTO_VERSION) {
    return `moto ${MOTO_VERSION} is not installed (found ${version ?? "none"}): run npm run setup:tools`;
  }
  if (spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status !== 0) {
    return "moto_server is not on PATH: run npm run setup:tools";
  }
  return undefined;
}

async function waitUntilServing(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30 s:\n${log()}`);
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and resolves once it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  const missing = whyMotoIsMissing();
  if (missing) throw new Error(missing);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // A process group of its own, so that `close` stops whatever the launcher (a pyenv shim) started.
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const clientConfig = { region: MOTO_REGION, endpoint, credentials: { accessKeyId: "moto", secretAccessKey: "moto" } };
  const ssm = new SSMClient(clientConfig);
  const secretsManager = new SecretsManagerClient(clientConfig);
  const close = async (): Promise<void> => {
    ssm.destroy();
    secretsManager.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  };
  try {
    await waitUntilServing(endpoint, child, () => stderr);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL_SSM: endpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint },
    ssm,
    secretsManager,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    close,
  };
}

/**
 * Mocha hooks for a suite that talks to moto: `startMotoServer` before its tests, `close` after.
 * Where moto is missing, the suite fails under `CI=true` and is skipped elsewhere, saying why.
 * Returns a getter for the server, which throws until it has started.
 */
export function motoServerForSuite(): () => MotoServer {
  return forSuite(startMotoServer, (server) => server.close(), skipWithoutMoto);
}

/**
 * In a mocha hook: where moto is missing, skips the suite of `context`, saying why, except under
 * `CI=true`, where the suite goes on to fail when it starts moto.
 */
export function skipWithoutMoto(context: Mocha.Context): void {
  const missing = whyMotoIsMissing();
  if (missing && !UNDER_CI) {
    console.log(`      skipped (under CI=true this fails): ${missing}`);
    context.skip();
  }
}
