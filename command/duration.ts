/** One unit of a duration and its length in seconds. */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Reads a duration such as `90m`, `2h`, `3600s`, `1d` or plain seconds (`3600`): a whole number of
 * one unit, `s`, `m`, `h` or `d`. Returns it in seconds. Throws an error that quotes `text` and the
 * accepted forms for anything else (negative, fractional, empty, unknown unit, several units).
 */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const amount = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(amount)) {
    throw new Error(
      `"${text}" is not a duration: use a whole number of seconds, minutes, hours or days, such as 3600s, 90m, 2h or 1d`,
    );
  }
  return amount * (UNIT_SECONDS[match[2] || "s"] ?? 1);
}

/** `seconds` as a person reads it: `1h 30m`, `45m`, `20s`, `2d 3h`; negative with a leading `-`. */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  let rest = Math.abs(Math.trunc(seconds));
  if (rest < 60) return `${sign}${rest}s`;
  const parts: string[] = [];
  for (const [unit, length] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    const count = Math.floor(rest / length);
    rest -= count * length;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return sign + parts.slice(0, 2).join(" ");
}
