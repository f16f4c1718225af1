import { CronExpressionParser } from "cron-parser";

/** Two weeks of firings: covers every daily and weekly pattern, whatever day the window starts. */
const HORIZON_MS = 14 * 24 * 3600 * 1000;

/**
 * The longest time, in seconds, between two consecutive firings of the five-field cron expression
 * `cron` (UTC, as GitHub Actions and Pulumi Deployments read it) over two weeks from 2025-01-01.
 * Throws for an expression without exactly five fields (cron-parser would read six as starting
 * with seconds), with cron-parser's error for an invalid one, and if it fires fewer than twice.
 */
export function longestCronGapSeconds(cron: string): number {
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5) throw new Error(`"${cron}" has ${fields} fields, not the five of minute hour day month weekday`);
  const start = Date.UTC(2025, 0, 1);
  const firings = CronExpressionParser.parse(cron, { currentDate: new Date(start), tz: "UTC" });
  let previous: number | undefined;
  let longest = 0;
  for (let at = firings.next().getTime(); at <= start + HORIZON_MS; at = firings.next().getTime()) {
    if (previous !== undefined) longest = Math.max(longest, at - previous);
    previous = at;
  }
  if (longest === 0) throw new Error(`"${cron}" fires fewer than twice in two weeks`);
  return longest / 1000;
}
