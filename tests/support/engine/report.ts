import type { RunResult } from "./engine";

/** Run timings collected for a spec's closing report: printed, never asserted. */
export class TimingLog {
  private readonly lines: string[] = [];

  /** Notes the whole run's, the program's and each host call's time under `label`; returns `result`. */
  record(label: string, result: RunResult): RunResult {
    const host = Object.entries(result.timings.host)
      .map(([call, ms]) => `${call} ${ms.map((m) => m.toFixed(0)).join("/")}`)
      .join(", ");
    this.lines.push(
      `${label}: total ${result.timings.totalMs.toFixed(0)} ms, program ${result.timings.programMs.toFixed(0)} ms` +
        (host ? `; host: ${host}` : "; no host"),
    );
    return result;
  }

  /** Prints the lines under `title`, indented to sit in mocha's output. */
  print(title: string): void {
    console.log(`      ${title}:`);
    for (const line of this.lines) console.log(`        ${line}`);
  }
}
