// Something a mocha suite's tests share (a server, a project), made before them and ended after.
import { skipUnprovisioned } from "./compat-cache";

/**
 * Mocha hooks: `start` before the suite's tests, `stop` after them (if it started). `precondition`,
 * given, runs first and may skip the suite (`context.skip()`); so does a `ProvisioningError` from
 * `start` (a tool missing here), except under `CI=true`, where it fails. Returns a getter for what
 * `start` made, which throws until it has.
 */
export function forSuite<T>(
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
  precondition?: (context: Mocha.Context) => void,
): () => T {
  let started: T | undefined;
  before(async function () {
    precondition?.(this);
    try {
      started = await start();
    } catch (error) {
      skipUnprovisioned(this, "what the suite needs", error);
    }
  });
  after(async () => {
    if (started !== undefined) await stop(started);
  });
  return () => {
    if (started === undefined) throw new Error("what the suite shares has not started");
    return started;
  };
}
