import assert from "node:assert/strict";
import type { CredentialStatus } from "../../command/due";
import { renewJson, renewTable, statusJson, statusTable } from "../../command/format";
import { renewalUpOptions } from "../../command/renew";

const credentials = (name: string, due: boolean, dueNow: boolean, secondsLeft: number | null): CredentialStatus => ({
  name,
  urn: `urn:pulumi:prod::p::t::${name}`,
  expiresAt: "2026-01-01T13:00:00.000Z",
  renewAt: "2026-01-01T12:40:00.000Z",
  due,
  dueNow,
  secondsLeft,
});
const STACKS = [
  { stack: "prod", credentials: [credentials("now", true, true, 1200), credentials("soon", true, false, 3000)] },
  { stack: "dev", credentials: [credentials("fine", false, false, null)] },
  { stack: "empty", credentials: [] },
];

describe("command: output", () => {
  it("status --json prints exactly stacks -> stack, credentials -> name, urn, expiresAt, renewAt, due, secondsLeft", () => {
    assert.deepEqual(JSON.parse(statusJson(STACKS)), {
      stacks: [
        {
          stack: "prod",
          credentials: [
            {
              name: "now",
              urn: "urn:pulumi:prod::p::t::now",
              expiresAt: "2026-01-01T13:00:00.000Z",
              renewAt: "2026-01-01T12:40:00.000Z",
              due: true,
              secondsLeft: 1200,
            },
            {
              name: "soon",
              urn: "urn:pulumi:prod::p::t::soon",
              expiresAt: "2026-01-01T13:00:00.000Z",
              renewAt: "2026-01-01T12:40:00.000Z",
              due: true,
              secondsLeft: 3000,
            },
          ],
        },
        {
          stack: "dev",
          credentials: [
            {
              name: "fine",
              urn: "urn:pulumi:prod::p::t::fine",
              expiresAt: "2026-01-01T13:00:00.000Z",
              renewAt: "2026-01-01T12:40:00.000Z",
              due: false,
              secondsLeft: null,
            },
          ],
        },
        { stack: "empty", credentials: [] },
      ],
    });
  });

  it("status prints a row per credential with its state and time left, a stack without any, and the count due", () => {
    const lines = statusTable(STACKS, 1800).split("\n");
    assert.match(lines[0] ?? "", /^STACK +NAME +STATE +LEFT +RENEW AT +EXPIRES AT +URN$/);
    assert.match(
      lines[1] ?? "",
      /^prod +now +due now +20m +2026-01-01T12:40:00.000Z +2026-01-01T13:00:00.000Z +urn:pulumi:prod::p::t::now$/,
    );
    assert.match(lines[2] ?? "", /^prod +soon +due within 30m +50m /);
    assert.match(lines[3] ?? "", /^dev +fine +ok +unknown /);
    assert.match(lines[4] ?? "", /^empty +\(no credentials\)$/);
    assert.equal(lines[6], "2 of 3 credentials due within 30m.");
    assert.match(statusTable([STACKS[1]!], 0), /\nNothing is due now\.$/);
  });

  it("renew prints each stack's outcome and names the stacks that failed or were busy, as a table or JSON", () => {
    const renewals = [
      { stack: "prod", outcome: "failed" as const, credentials: [credentials("now", true, true, 10)], error: "boom" },
      {
        stack: "qa",
        outcome: "renewed" as const,
        credentials: [credentials("a", true, true, 10), credentials("b", true, false, 10)],
      },
      { stack: "dev", outcome: "nothing due" as const, credentials: [] },
      { stack: "ci", outcome: "already renewed" as const, credentials: [credentials("c", true, true, 10)] },
      { stack: "s1", outcome: "busy" as const, credentials: [credentials("d", true, true, 10)], error: "held" },
    ];
    const table = renewTable(renewals);
    assert.match(table, /^prod +failed +now +boom$/m);
    assert.match(table, /^qa +renewed +a, b$/m);
    assert.match(table, /^dev +nothing due$/m);
    assert.match(table, /^ci +already renewed +c$/m);
    assert.match(table, /^s1 +busy +d +held$/m);
    assert.match(
      table,
      /\nRenewed 1 stack\(s\), 1 already renewed by another update, 1 with nothing due\. Renewal failed in 1 stack\(s\): prod\. Busy, held by another update past --wait: s1\.$/,
    );
    assert.match(
      renewTable(renewals.slice(1, 3)),
      /\nRenewed 1 stack\(s\), 0 already renewed by another update, 1 with nothing due\.$/,
    );
    assert.deepEqual(JSON.parse(renewJson(renewals)), {
      stacks: [
        {
          stack: "prod",
          outcome: "failed",
          credentials: [{ name: "now", urn: "urn:pulumi:prod::p::t::now" }],
          error: "boom",
        },
        {
          stack: "qa",
          outcome: "renewed",
          credentials: [
            { name: "a", urn: "urn:pulumi:prod::p::t::a" },
            { name: "b", urn: "urn:pulumi:prod::p::t::b" },
          ],
        },
        { stack: "dev", outcome: "nothing due", credentials: [] },
        { stack: "ci", outcome: "already renewed", credentials: [{ name: "c", urn: "urn:pulumi:prod::p::t::c" }] },
        {
          stack: "s1",
          outcome: "busy",
          credentials: [{ name: "d", urn: "urn:pulumi:prod::p::t::d" }],
          error: "held",
        },
      ],
    });
  });
});

describe("command: the up that renews", () => {
  const due = [credentials("now", true, true, 10), credentials("early", true, false, 10)];

  it("is a full up with no replace: the provider's diff applies the horizon under the stack's lock", () => {
    assert.deepEqual(renewalUpOptions(due, false), {});
  });

  it("with --targeted, targets every due credential and its dependents", () => {
    assert.deepEqual(renewalUpOptions(due, true), {
      target: ["urn:pulumi:prod::p::t::now", "urn:pulumi:prod::p::t::early"],
      targetDependents: true,
    });
  });
});
