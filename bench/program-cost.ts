import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { median } from "./statistics";

/** Program-side cost per resource, in ms, of the package's credentials and of the floor. */
export interface ProgramCost {
  count: number;
  credentials: number;
  trivial: number;
}

/**
 * Declares `count` credentials (the package installed at `packageDir`) and `count` trivial
 * dynamic resources sharing one provider (the floor), each in a fresh Node process under Pulumi's
 * mocks, alternating `rounds` times, and returns the median time per resource of each.
 */
export function programCost(count: number, packageDir: string, rounds: number): ProgramCost {
  const script = path.join(__dirname, "declare-resources.js");
  const once = (kind: "credentials" | "trivial"): number => {
    const output = execFileSync(process.execPath, [script, kind, String(count), packageDir], { encoding: "utf8" });
    return (JSON.parse(output) as { ms: number }).ms / count;
  };
  const credentials: number[] = [];
  const trivial: number[] = [];
  for (let round = 0; round < rounds; round++) {
    trivial.push(once("trivial"));
    credentials.push(once("credentials"));
  }
  return { count, credentials: median(credentials), trivial: median(trivial) };
}
