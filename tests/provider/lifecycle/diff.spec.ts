import assert from "node:assert/strict";
import { diffSessionCredentials, RENEWAL_DUE } from "../../../provider/lifecycle/diff";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import { renewalTime } from "../../../provider/lifecycle/renewal";
import { EXECUTION_ROLE_ARN, validInputs } from "../../fixtures/session-inputs";

const MINTED_AT = Date.parse("2026-11-23T12:00:00Z");
const inputs = validInputs({ credentialType: "TOKEN", durationInSeconds: 900, renewBeforeSeconds: 300 });
const state = {
  ...inputs,
  __provider: "serialized provider",
  token: "emrsess-stored",
  expiresAt: "2026-11-23T12:15:00.000Z",
  renewAt: "2026-11-23T12:10:00.000Z",
  serviceClockOffsetMs: 0,
};
const minutes = (n: number) => MINTED_AT + n * 60_000;

describe("diff", () => {
  it("reports no change for the same inputs before renewAt", () => {
    assert.deepEqual(diffSessionCredentials(state, inputs, minutes(9)), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces, naming renewAt, once renewal is due, and says so without the token", () => {
    assert.deepEqual(
      diffSessionCredentials(
        { ...state, resourceName: "notebook" },
        { ...inputs, resourceName: "notebook" },
        minutes(10),
      ),
      {
        changes: true,
        replaces: [RENEWAL_DUE],
        deleteBeforeReplace: false,
        reason:
          'ManagedEndpointSessionCredentials "notebook": replacing to mint a new token: renewAt 2026-11-23T12:10:00.000Z has passed',
      },
    );
  });

  it("with a horizon, replaces a token whose renewAt falls within it, saying so, and keeps one just past it", () => {
    const horizon = 20 * 60;
    // renewAt 12:10: within 20 minutes of 11:50 exactly, not of a millisecond earlier.
    const atCutoff = diffSessionCredentials(state, inputs, minutes(-10), horizon);
    assert.deepEqual(atCutoff.replaces, [RENEWAL_DUE]);
    assert.equal(
      atCutoff.reason,
      "ManagedEndpointSessionCredentials: replacing to mint a new token: renewAt 2026-11-23T12:10:00.000Z is within the renewal horizon of 1200 s (renew --within)",
    );
    assert.deepEqual(diffSessionCredentials(state, inputs, minutes(-10) - 1, horizon), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // Already due: the horizon changes nothing in what is said.
    assert.match(diffSessionCredentials(state, inputs, minutes(10), horizon).reason ?? "", /has passed$/);
  });

  it("replaces a stored token with no readable expiry, and says that rather than a renewAt", () => {
    const { expiresAt: _expiresAt, ...withoutExpiry } = state;
    const diff = diffSessionCredentials(withoutExpiry, inputs, minutes(1));
    assert.deepEqual(diff.replaces, [RENEWAL_DUE]);
    assert.equal(
      diff.reason,
      "ManagedEndpointSessionCredentials: replacing to mint a new token: the stored token has no readable expiry",
    );
  });

  it("gives both causes when an input changed and renewal is due", () => {
    const { reason } = diffSessionCredentials(state, { ...inputs, logContext: "new-context" }, minutes(11));
    assert.equal(
      reason,
      "ManagedEndpointSessionCredentials: replacing to mint a new token: logContext changed; renewAt 2026-11-23T12:10:00.000Z has passed",
    );
  });

  it("replaces with create before delete, naming each token-shaping input that changed", () => {
    const news = {
      ...inputs,
      durationInSeconds: 1800,
      triggers: { image: "v2" },
      executionRoleArn: EXECUTION_ROLE_ARN.replace("emr", "spark"),
    };
    const diff = diffSessionCredentials(state, news, minutes(1));
    assert.deepEqual(diff.replaces.sort(), ["durationInSeconds", "executionRoleArn", "triggers"]);
    assert.equal(diff.deleteBeforeReplace, false);
  });

  it("updates without replacing when only the way the API is reached changes", () => {
    for (const change of [
      { region: "us-east-1" },
      { profile: "other" },
      { endpoint: "http://127.0.0.1:9" },
      { maxAttempts: 5 },
    ]) {
      assert.deepEqual(
        diffSessionCredentials(state, { ...inputs, ...change }, minutes(1)),
        { changes: true, replaces: [], deleteBeforeReplace: false },
        JSON.stringify(change),
      );
    }
  });

  it("judges a new renewal window against the stored expiry", () => {
    const wider = { ...inputs, renewBeforeSeconds: 600 };
    assert.deepEqual(diffSessionCredentials(state, wider, minutes(4)).replaces, []);
    assert.deepEqual(diffSessionCredentials(state, wider, minutes(5)).replaces, [RENEWAL_DUE]);
  });

  it("applies the service clock offset measured at mint", () => {
    const behind = { ...state, serviceClockOffsetMs: 600_000 };
    assert.deepEqual(diffSessionCredentials(behind, inputs, minutes(0)).replaces, [RENEWAL_DUE]);
    const ahead = { ...state, serviceClockOffsetMs: -600_000 };
    assert.deepEqual(diffSessionCredentials(ahead, inputs, minutes(19)).replaces, []);
  });

  it("replaces exactly at the renewAt the state shows, whatever the service clock's lead", () => {
    for (const serviceClockOffsetMs of [600_000, 0, -600_000]) {
      const skewed = { ...state, serviceClockOffsetMs };
      const renewAt = Date.parse(
        renewalTime({
          expiresAt: state.expiresAt,
          durationInSeconds: 900,
          renewBeforeSeconds: 300,
          serviceClockOffsetMs,
        }),
      );
      assert.deepEqual(diffSessionCredentials(skewed, inputs, renewAt - 1).replaces, [], String(serviceClockOffsetMs));
      assert.deepEqual(diffSessionCredentials(skewed, inputs, renewAt).replaces, [RENEWAL_DUE]);
    }
  });

  it("judges a token granted less life than asked by its scaled window", () => {
    const asked = { ...inputs, durationInSeconds: 3600, renewBeforeSeconds: 1200 };
    const short = { ...state, ...asked, expiresAt: "2026-11-23T12:00:18.000Z", grantedSeconds: 18 };
    assert.deepEqual(diffSessionCredentials(short, asked, MINTED_AT + 11_999).replaces, []);
    assert.deepEqual(diffSessionCredentials(short, asked, MINTED_AT + 12_000).replaces, [RENEWAL_DUE]);
  });

  it("replaces when a token-shaping input is unknown in a preview", () => {
    assert.deepEqual(diffSessionCredentials(state, { ...inputs, executionRoleArn: UNKNOWN }, minutes(1)).replaces, [
      "executionRoleArn",
    ]);
  });

  it("renews a state from which expiresAt is missing", () => {
    const { expiresAt: _, ...damaged } = state;
    assert.deepEqual(diffSessionCredentials(damaged, inputs, minutes(1)).replaces, [RENEWAL_DUE]);
  });

  it("ignores the provider's own serialized code and the outputs", () => {
    assert.equal(diffSessionCredentials(state, { ...inputs, __provider: "changed" }, minutes(1)).changes, false);
  });
});
