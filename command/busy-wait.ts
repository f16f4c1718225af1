import type { Clock } from "../provider/lifecycle/renewal";
import type { StackLocked } from "./stack-lock";

/** One try at something another update's lock may keep out: its result, or the lock. */
export type Attempt<T> = { done: T } | { locked: StackLocked };

/** How waiting passes: the clock, a sleep and a source of jitter; tests pin all three. */
export interface WaitTiming {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1), as `Math.random` returns. */
  random: () => number;
}

/** The shortest and longest pause between tries, in ms: jittered so that two waiters do not retry in step. */
export const POLL_MS = { min: 1_000, max: 3_000 } as const;

/** Real time. */
export const realTiming: WaitTiming = {
  clock: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Calls `attempt` (with the number of the try, from 1) until it is not locked out, pausing 1 to 3 s
 * (jittered) between tries, and never past `waitSeconds` after the first: the last pause is cut
 * short so that one try comes at the deadline. Each lock is handed to `onLocked` as it is met.
 * Resolves with the first `done`, or with the last lock once the wait is over (at once for a
 * `waitSeconds` of 0). Rejects with whatever `attempt` rejects with.
 */
export async function retryWhileLocked<T>(
  attempt: (tries: number) => Promise<Attempt<T>>,
  waitSeconds: number,
  timing: WaitTiming,
  onLocked: (locked: StackLocked) => void = () => undefined,
): Promise<Attempt<T>> {
  const deadline = timing.clock() + waitSeconds * 1000;
  for (let tries = 1; ; tries++) {
    const result = await attempt(tries);
    if ("done" in result) return result;
    onLocked(result.locked);
    const left = deadline - timing.clock();
    if (left <= 0) return result;
    await timing.sleep(Math.min(left, POLL_MS.min + timing.random() * (POLL_MS.max - POLL_MS.min)));
  }
}
