// Moving the clock of the Node processes the real CLI starts, for end-to-end tests only: Debian's
// libfaketime, which needs root to install. Never on the path of `npm run demo` or of users
// (tests/cli/demo.spec.ts fails if it comes to be).
import { existsSync } from "node:fs";

const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/**
 * Environment that moves the clock of every process started with it `seconds` ahead (Debian's
 * libfaketime). The Go CLI reads time without libc and is unaffected; the Node processes it
 * starts (the program, the dynamic-provider host) see the moved clock. Monotonic timers are left
 * alone so that gRPC deadlines still hold.
 */
export function clockMovedBy(seconds: number): NodeJS.ProcessEnv {
  if (!existsSync(LIBFAKETIME))
    throw new Error(`${LIBFAKETIME} is missing: run npm run setup:tools (apt-get install faketime)`);
  return {
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: `${seconds >= 0 ? "+" : ""}${Math.round(seconds)}`,
    FAKETIME_DONT_FAKE_MONOTONIC: "1",
  };
}
