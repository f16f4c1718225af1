// The processes a test started, found by a variable in their environment, which every process
// inherits from the one that started it (Linux: read from /proc).
import { readdirSync, readFileSync } from "node:fs";

/** A running process. */
export interface RunningProcess {
  pid: number;
  /** Its command line, arguments separated by spaces. */
  command: string;
  /** Its environment, `NAME=value` entries. */
  env: string[];
}

/** Every running process of this user whose environment holds `entry` (`NAME=value`). */
export function processesWithEnv(entry: string): RunningProcess[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
        if (!env.includes(entry)) return [];
        const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
        return [{ pid: Number(pid), command, env }];
      } catch {
        return []; // ended meanwhile, or another user's
      }
    });
}
