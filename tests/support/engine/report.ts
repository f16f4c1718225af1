import type { RunResult } from "./engine";

/** One line of a run's timings for a test's closing report: the whole run, the program, each host call. */
export function formatTimings(label: string, result: RunResult): string {
  const host = Object.entries(result.timings.host)
    .map(([call, ms]) => `${call} ${ms.map((m) => m.toFixed(0)).join("/")}`)
    .join(", ");
  return (
    `${label}: total ${result.timings.totalMs.toFixed(0)} ms, program ${result.timings.programMs.toFixed(0)} ms` +
    (host ? `; host: ${host}` : "; no host")
  );
}
