import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../../command/duration";

describe("command: durations", () => {
  it("reads whole numbers of seconds, minutes, hours or days, and plain seconds", () => {
    for (const [text, seconds] of [
      ["3600s", 3600],
      ["90m", 5400],
      ["2h", 7200],
      ["1d", 86_400],
      ["3600", 3600],
      ["0", 0],
      [" 15m ", 900],
    ] as const)
      assert.equal(parseDuration(text), seconds, text);
  });

  it("refuses anything else, quoting it and the forms it takes", () => {
    for (const text of ["", "m", "-5m", "1.5h", "2 h", "1h30m", "90M", "10w", "soon", "99999999999999999999"])
      assert.throws(
        () => parseDuration(text),
        new RegExp(`^Error: "${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" is not a duration: .*90m, 2h`),
      );
  });

  it("says a number of seconds as a person reads it, with at most two units", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(59), "59s");
    assert.equal(formatDuration(60), "1m");
    assert.equal(formatDuration(5400), "1h 30m");
    assert.equal(formatDuration(90_061), "1d 1h");
    assert.equal(formatDuration(-600), "-10m");
    assert.equal(formatDuration(61.9), "1m");
  });
});
