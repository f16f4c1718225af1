import assert from "node:assert/strict";
import { applyDueRule } from "../../command/due";
import { storedCredentials } from "../../command/stack-state";
import { statusExitCode } from "../../command/status";
import { CREDENTIALS_TYPE } from "../support/local-stack";

/** The clock every test pins: 2026-01-01T12:00:00Z. */
const NOW = Date.parse("2026-01-01T12:00:00.000Z");
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
const urn = (name: string) => `urn:pulumi:prod::project::${CREDENTIALS_TYPE}::${name}`;

/** A state as `pulumi stack export` prints it, with credentials renewing `minutes` from `NOW`. */
function state(...credentials: { name: string; renewIn: number; expireIn?: number; deleted?: boolean }[]): unknown {
  return {
    version: 3,
    deployment: {
      resources: [
        { urn: "urn:pulumi:prod::project::pulumi:pulumi:Stack::project-prod", type: "pulumi:pulumi:Stack" },
        ...credentials.map((c) => ({
          urn: urn(c.name),
          type: CREDENTIALS_TYPE,
          outputs: { token: SECRET, renewAt: at(c.renewIn), expiresAt: at(c.expireIn ?? c.renewIn + 20) },
          ...(c.deleted ? { delete: true } : {}),
        })),
        {
          urn: "urn:pulumi:prod::project::aws:ssm/parameter:Parameter::p",
          type: "aws:ssm/parameter:Parameter",
          outputs: { renewAt: at(-100) },
        },
      ],
    },
  };
}

describe("command: the due rule applied to a stack's state", () => {
  it("reads each credentials resource's name, URN, renewAt and expiresAt, skipping old copies and other types", () => {
    assert.deepEqual(
      storedCredentials(state({ name: "old", renewIn: -5, deleted: true }, { name: "session", renewIn: 30 })),
      [{ name: "session", urn: urn("session"), renewAt: at(30), expiresAt: at(50) }],
    );
    assert.deepEqual(storedCredentials({ deployment: {} }), []);
    assert.deepEqual(storedCredentials(null), []);
  });

  it("reads the provider plugin's credentials (other languages' programs) as it reads the dynamic provider's", () => {
    const pluginType = "emr-session-credentials:index:ManagedEndpointSessionCredentials";
    const pluginUrn = `urn:pulumi:prod::project::${pluginType}::from-python`;
    assert.deepEqual(
      storedCredentials({
        deployment: {
          resources: [
            { urn: pluginUrn, type: pluginType, outputs: { token: SECRET, renewAt: at(5), expiresAt: at(25) } },
            { urn: urn("session"), type: CREDENTIALS_TYPE, outputs: { renewAt: at(30), expiresAt: at(50) } },
          ],
        },
      }).map((c) => [c.name, c.urn, c.renewAt]),
      [
        ["from-python", pluginUrn, at(5)],
        ["session", urn("session"), at(30)],
      ],
    );
  });

  it("reads a renewAt or expiresAt that is not plain text (made secret: ciphertext) as unreadable, never its value", () => {
    const [credentials] = storedCredentials({
      deployment: {
        resources: [{ urn: urn("s"), type: CREDENTIALS_TYPE, outputs: { renewAt: SECRET, expiresAt: 5 } }],
      },
    });
    assert.deepEqual(credentials, { name: "s", urn: urn("s"), renewAt: "", expiresAt: "" });
  });

  it("is due now once renewAt has come; due within the horizon when renewAt comes by then; else not", () => {
    const stored = storedCredentials(
      state(
        { name: "past", renewIn: -1 },
        { name: "exactly", renewIn: 0 },
        { name: "soon", renewIn: 10 },
        { name: "later", renewIn: 11 },
      ),
    );
    const rows = applyDueRule(stored, NOW, 600).map((c) => [c.name, c.dueNow, c.due, c.secondsLeft]);
    assert.deepEqual(rows, [
      ["past", true, true, 19 * 60],
      ["exactly", true, true, 20 * 60],
      ["soon", false, true, 30 * 60],
      ["later", false, false, 31 * 60],
    ]);
    assert.deepEqual(
      applyDueRule(stored, NOW, 0).map((c) => c.due),
      [true, true, false, false],
    );
  });

  it("counts an unreadable renewAt as due, as the provider's diff replaces it, and an unreadable expiry as no time left known", () => {
    const [credentials] = applyDueRule([{ name: "s", urn: urn("s"), renewAt: "", expiresAt: "" }], NOW, 0);
    assert.equal(credentials?.due, true);
    assert.equal(credentials?.dueNow, true);
    assert.equal(credentials?.secondsLeft, null);
  });

  it("gives a negative time left once the token has lapsed", () => {
    const [credentials] = applyDueRule(storedCredentials(state({ name: "s", renewIn: -30, expireIn: -10 })), NOW, 0);
    assert.equal(credentials?.secondsLeft, -600);
  });

  it("makes status exit 2 when any stack has a credential due within the horizon, else 0", () => {
    const stacks = (renewIn: number, horizon: number) => [
      { stack: "empty", credentials: [] },
      { stack: "prod", credentials: applyDueRule(storedCredentials(state({ name: "s", renewIn })), NOW, horizon) },
    ];
    assert.equal(statusExitCode(stacks(5, 0)), 0);
    assert.equal(statusExitCode(stacks(5, 300)), 2);
    assert.equal(statusExitCode(stacks(-1, 0)), 2);
    assert.equal(statusExitCode([]), 0);
  });
});
