import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import type { Props } from "../wire";

/** One call a stand-in provider received, with the properties as the engine sent them. */
export interface RecordedCall {
  op: "create" | "update" | "delete";
  urn: string;
  properties: Props;
}

/** A running stand-in provider plugin (see recording-provider-main.ts). */
export interface RecordingProvider {
  /** The Pulumi package it plays, such as `aws`. */
  readonly pkg: string;
  /** Its gRPC port on 127.0.0.1. */
  readonly port: number;
  /** Every create, update and delete so far, in order. */
  calls(): RecordedCall[];
  /** The calls for resources of type `type` (for example `aws:ssm/parameter:Parameter`). */
  callsFor(type: string): RecordedCall[];
  /** Stops the server and removes its record. */
  close(): Promise<void>;
}

/**
 * Starts a stand-in for the provider plugin of package `pkg` at `version`, for the real engine to
 * attach to: pass `PULUMI_DEBUG_PROVIDERS` from `debugProvidersEnv` to `pulumi`. It accepts every
 * resource of that package and echoes its inputs as outputs, with fake `id` and `arn`.
 */
export async function startRecordingProvider(pkg: string, version: string): Promise<RecordingProvider> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `recording-${pkg}-`));
  const recordFile = path.join(dir, "calls.jsonl");
  const child = spawn(process.execPath, [path.join(__dirname, "recording-provider-main.js"), version, recordFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the ${pkg} stand-in provider exited (${String(code)})`)));
    createInterface({ input: child.stdout }).once("line", (line) => resolve(Number(line.trim())));
  });
  const calls = (): RecordedCall[] => {
    let text = "";
    try {
      text = readFileSync(recordFile, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedCall);
  };
  return {
    pkg,
    port,
    calls,
    callsFor: (type) => calls().filter((call) => call.urn.split("::")[2]?.split("$").pop() === type),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `PULUMI_DEBUG_PROVIDERS`, which makes the engine attach to `providers` instead of launching plugins. */
export function debugProvidersEnv(...providers: RecordingProvider[]): NodeJS.ProcessEnv {
  return { PULUMI_DEBUG_PROVIDERS: providers.map((p) => `${p.pkg}:${p.port}`).join(",") };
}
