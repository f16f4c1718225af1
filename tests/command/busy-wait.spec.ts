import assert from "node:assert/strict";
import { POLL_MS, retryWhileLocked, type Attempt, type WaitTiming } from "../../command/busy-wait";
import type { StackLocked } from "../../command/stack-lock";

const LOCKED: StackLocked = { holders: [{ owner: "ci@runner", pid: 7, since: "2026-11-25T10:00:00Z" }] };
const START = Date.parse("2026-11-25T10:00:05Z");

/** A pinned clock that only sleeping moves, the pauses it was asked for, and jitter from `randoms` in turn. */
function pinnedTiming(randoms: number[]): WaitTiming & { pauses: number[]; now(): number } {
  let now = START;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => now,
    clock: () => now,
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
    },
    random: () => randoms.shift() ?? 0.5,
  };
}

/** An attempt locked out `times` times, then done with "ran"; records the tries it saw. */
function lockedTimes(times: number, tries: number[]): (n: number) => Promise<Attempt<string>> {
  return async (n) => {
    tries.push(n);
    return n <= times ? { locked: LOCKED } : { done: "ran" };
  };
}

describe("command: waiting for a busy stack", () => {
  it("does not wait when the first try is not locked out", async () => {
    const timing = pinnedTiming([]);
    const tries: number[] = [];
    assert.deepEqual(await retryWhileLocked(lockedTimes(0, tries), 600, timing), { done: "ran" });
    assert.deepEqual(tries, [1]);
    assert.deepEqual(timing.pauses, []);
  });

  it("tries again after jittered pauses of 1 to 3 s while locked out, telling each lock as it is met", async () => {
    const timing = pinnedTiming([0, 0.999, 0.5]);
    const tries: number[] = [];
    const told: StackLocked[] = [];
    const result = await retryWhileLocked(lockedTimes(3, tries), 600, timing, (locked) => told.push(locked));
    assert.deepEqual(result, { done: "ran" });
    assert.deepEqual(tries, [1, 2, 3, 4]);
    assert.deepEqual(timing.pauses, [POLL_MS.min, 2998, 2000]);
    assert.equal(told.length, 3);
  });

  it("gives up with the last lock once the wait is over, the last pause cut short to try at the deadline", async () => {
    const timing = pinnedTiming([]);
    const tries: number[] = [];
    const result = await retryWhileLocked(lockedTimes(Infinity, tries), 5, timing);
    assert.deepEqual(result, { locked: LOCKED });
    assert.deepEqual(timing.pauses, [2000, 2000, 1000]);
    assert.equal(timing.now(), START + 5000);
    assert.deepEqual(tries, [1, 2, 3, 4]);
  });

  it("with a wait of 0, tries once and does not pause", async () => {
    const timing = pinnedTiming([]);
    const tries: number[] = [];
    assert.deepEqual(await retryWhileLocked(lockedTimes(1, tries), 0, timing), { locked: LOCKED });
    assert.deepEqual(tries, [1]);
    assert.deepEqual(timing.pauses, []);
  });

  it("rejects with what a try rejects with, trying no more", async () => {
    const timing = pinnedTiming([]);
    let tries = 0;
    await assert.rejects(
      retryWhileLocked(
        async () => {
          tries++;
          if (tries === 1) return { locked: LOCKED };
          throw new Error("the program failed");
        },
        600,
        timing,
      ),
      /the program failed/,
    );
    assert.equal(tries, 2);
  });
});
