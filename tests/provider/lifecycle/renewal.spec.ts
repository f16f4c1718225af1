import assert from "node:assert/strict";
import {
  GRANT_MEASUREMENT_SLACK_MS,
  grantedSeconds,
  isRenewalDue,
  renewalTime,
  renewalWindowSeconds,
  serviceClockOffset,
  type TokenLife,
} from "../../../provider/lifecycle/renewal";

const EXPIRES_AT = "2026-11-23T12:15:00.000Z";
const at = (iso: string) => Date.parse(iso);
/** A 15-minute token granted in full, renewed 5 minutes before it expires, clocks in agreement. */
const FULL: TokenLife = { expiresAt: EXPIRES_AT, durationInSeconds: 900, renewBeforeSeconds: 300 };

describe("renewal rule", () => {
  it("renews renewBeforeSeconds before expiry when the token was granted in full", () => {
    assert.equal(renewalTime(FULL), "2026-11-23T12:10:00.000Z");
    assert.equal(renewalTime({ ...FULL, renewBeforeSeconds: 0 }), EXPIRES_AT);
  });

  it("is not due one millisecond before renewAt and is due at and after it", () => {
    const renewAt = renewalTime(FULL);
    assert.equal(isRenewalDue(at("2026-11-23T12:09:59.999Z"), renewAt), false);
    assert.equal(isRenewalDue(at("2026-11-23T12:10:00Z"), renewAt), true);
    assert.equal(isRenewalDue(at("2026-11-23T12:10:01Z"), renewAt), true);
  });

  it("treats an unreadable renewAt or expiresAt as due, so a damaged state heals with a new token", () => {
    assert.equal(isRenewalDue(at("2026-11-23T12:00:00Z"), ""), true);
    assert.equal(isRenewalDue(at("2026-11-23T12:00:00Z"), "not a time"), true);
    assert.equal(renewalTime({ ...FULL, expiresAt: "not a time" }), "");
    assert.equal(renewalTime({ ...FULL, renewBeforeSeconds: Number.MAX_VALUE }), "");
  });

  describe("renewAt is on the clock of the machine that minted", () => {
    it("with the service 10 minutes ahead, reads 10 minutes earlier than on the service's clock", () => {
      // Service 12:10 is local 12:00: renewing at local 12:10 would be after the token expired.
      assert.equal(renewalTime({ ...FULL, serviceClockOffsetMs: 600_000 }), "2026-11-23T12:00:00.000Z");
    });

    it("with the service 10 minutes behind, reads 10 minutes later", () => {
      // Service 12:10 is local 12:20: renewing at local 12:10 would renew needlessly early.
      assert.equal(renewalTime({ ...FULL, serviceClockOffsetMs: -600_000 }), "2026-11-23T12:20:00.000Z");
    });
  });

  describe("a token granted a shorter life than asked", () => {
    const short: TokenLife = {
      expiresAt: "2026-11-23T12:00:18.000Z",
      durationInSeconds: 3600,
      renewBeforeSeconds: 1200,
      grantedSeconds: 18,
    };
    const mintedAt = at("2026-11-23T12:00:00Z");

    it("scales the window to the share of the life granted: a third of 18 s", () => {
      assert.equal(renewalWindowSeconds(short), 6);
      assert.equal(renewalTime(short), "2026-11-23T12:00:12.000Z");
    });

    it("is not renewed at once, nor by the next up a second later, but before it expires", () => {
      assert.equal(isRenewalDue(mintedAt, renewalTime(short)), false);
      assert.equal(isRenewalDue(mintedAt + 1_000, renewalTime(short)), false);
      assert.equal(isRenewalDue(mintedAt + 12_000, renewalTime(short)), true);
    });

    it("keeps renewAt after the mint and before expiry for every life granted and every window allowed", () => {
      for (const granted of [0.5, 1, 18, 600, 3599]) {
        for (const renewBeforeSeconds of [0, 1, 1200, 3599]) {
          const life = { ...short, renewBeforeSeconds, grantedSeconds: granted };
          const expiresAt = mintedAt + granted * 1000;
          const renewAt = at(renewalTime({ ...life, expiresAt: new Date(expiresAt).toISOString() }));
          assert.ok(renewAt > mintedAt && renewAt <= expiresAt, JSON.stringify(life));
        }
      }
    });
  });

  describe("measuring the life granted", () => {
    const mintedAt = at("2026-11-23T12:00:00Z");

    it("gives the life when it falls short of the asked duration by more than the measurement slack", () => {
      assert.equal(grantedSeconds("2026-11-23T12:00:18Z", 3600, mintedAt), 18);
      const justShort = new Date(mintedAt + 900_000 - GRANT_MEASUREMENT_SLACK_MS - 1).toISOString();
      assert.equal(grantedSeconds(justShort, 900, mintedAt), 896.999);
    });

    it("counts a life within the slack of the asked duration, or longer, as granted in full", () => {
      const withinSlack = new Date(mintedAt + 900_000 - GRANT_MEASUREMENT_SLACK_MS).toISOString();
      assert.equal(grantedSeconds(withinSlack, 900, mintedAt), undefined);
      assert.equal(grantedSeconds("2026-11-23T12:15:01Z", 900, mintedAt), undefined);
    });

    it("never gives a negative life for a token that had expired on arrival", () => {
      assert.equal(grantedSeconds("2026-11-23T11:59:00Z", 900, mintedAt), 0);
    });
  });

  describe("measuring the service's clock from the Date header", () => {
    it("gives the service's lead over this machine", () => {
      assert.equal(serviceClockOffset("Mon, 23 Nov 2026 12:10:00 GMT", at("2026-11-23T12:00:00Z")), 600_000);
      assert.equal(serviceClockOffset("Mon, 23 Nov 2026 11:50:00 GMT", at("2026-11-23T12:00:00Z")), -600_000);
    });

    it("ignores differences under the header's one-second resolution", () => {
      assert.equal(serviceClockOffset("Mon, 23 Nov 2026 12:00:00 GMT", at("2026-11-23T12:00:00.900Z")), 0);
    });

    it("counts a missing or unreadable header as no offset", () => {
      assert.equal(serviceClockOffset(undefined, at("2026-11-23T12:00:00Z")), 0);
      assert.equal(serviceClockOffset("yesterday", at("2026-11-23T12:00:00Z")), 0);
    });
  });
});
