import { formatDuration } from "./duration";
import type { CredentialStatus } from "./due";
import type { StackRenewal } from "./renewal-outcome";
import type { StackCredentials } from "./status";

/** Lays `rows` out in columns two spaces apart, the first row a header; trailing spaces trimmed. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Where a credential stands: `due now`, `due within <horizon>`, or `ok`. */
function standing(credentials: CredentialStatus, withinSeconds: number): string {
  if (credentials.dueNow) return "due now";
  return credentials.due ? `due within ${formatDuration(withinSeconds)}` : "ok";
}

/**
 * `status --json`: exactly `{ "stacks": [ { "stack", "credentials": [ { "name", "urn", "expiresAt",
 * "renewAt", "due", "secondsLeft" } ] } ] }`, `due` meaning due within the horizon.
 */
export function statusJson(stacks: readonly StackCredentials[]): string {
  return JSON.stringify(
    {
      stacks: stacks.map(({ stack, credentials }) => ({
        stack,
        credentials: credentials.map(({ name, urn, expiresAt, renewAt, due, secondsLeft }) => ({
          name,
          urn,
          expiresAt,
          renewAt,
          due,
          secondsLeft,
        })),
      })),
    },
    null,
    2,
  );
}

/** `status` for a person: a row per credential (a stack without any says so), then a count of those due. */
export function statusTable(stacks: readonly StackCredentials[], withinSeconds: number): string {
  const rows = stacks.flatMap(({ stack, credentials }) =>
    credentials.length === 0
      ? [[stack, "(no credentials)"]]
      : credentials.map((c) => [
          stack,
          c.name,
          standing(c, withinSeconds),
          c.secondsLeft === null ? "unknown" : formatDuration(c.secondsLeft),
          c.renewAt || "unknown",
          c.expiresAt || "unknown",
          c.urn,
        ]),
  );
  const all = stacks.flatMap((stack) => stack.credentials);
  const due = all.filter((c) => c.due).length;
  const horizon = withinSeconds > 0 ? ` within ${formatDuration(withinSeconds)}` : " now";
  return [
    table([["STACK", "NAME", "STATE", "LEFT", "RENEW AT", "EXPIRES AT", "URN"], ...rows]),
    "",
    due === 0 ? `Nothing is due${horizon}.` : `${due} of ${all.length} credentials due${horizon}.`,
  ].join("\n");
}

/**
 * `renew --json`: `{ "stacks": [ { "stack", "outcome", "credentials": [ { "name", "urn" } ], "error"? } ] }`,
 * `outcome` one of `renewed`, `already renewed`, `nothing due`, `busy`, `failed`.
 */
export function renewJson(renewals: readonly StackRenewal[]): string {
  return JSON.stringify(
    {
      stacks: renewals.map(({ stack, outcome, credentials, error }) => ({
        stack,
        outcome,
        credentials: credentials.map(({ name, urn }) => ({ name, urn })),
        ...(error === undefined ? {} : { error }),
      })),
    },
    null,
    2,
  );
}

/**
 * `renew`'s summary for a person: a row per stack, then one line counting the stacks renewed by
 * this run, renewed by another update and with nothing due, and naming those that failed or were busy.
 */
export function renewTable(renewals: readonly StackRenewal[]): string {
  const rows = renewals.map(({ stack, outcome, credentials, error }) => [
    stack,
    outcome,
    credentials.map((c) => c.name).join(", "),
    error ?? "",
  ]);
  const named = (outcome: string) => renewals.filter((r) => r.outcome === outcome).map((r) => r.stack);
  const [failed, busy] = [named("failed"), named("busy")];
  const counts = `Renewed ${named("renewed").length} stack(s), ${named("already renewed").length} already renewed by another update, ${named("nothing due").length} with nothing due.`;
  return [
    table([["STACK", "RESULT", "CREDENTIALS", "ERROR"], ...rows]),
    "",
    [
      counts,
      ...(failed.length > 0 ? [`Renewal failed in ${failed.length} stack(s): ${failed.join(", ")}.`] : []),
      ...(busy.length > 0 ? [`Busy, held by another update past --wait: ${busy.join(", ")}.`] : []),
    ].join(" "),
  ].join("\n");
}
