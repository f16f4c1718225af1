import assert from "node:assert/strict";
import { isRenewalDue, renewalTime, serviceClockOffset } from "../../provider/renewal";

const EXPIRES_AT = "2026-11-23T12:15:00.000Z";
const at = (iso: string) => Date.parse(iso);

describe("renewal rule", () => {
  it("renews renewBeforeSeconds before expiry", () => {
    assert.equal(renewalTime(EXPIRES_AT, 300), "2026-11-23T12:10:00.000Z");
    assert.equal(renewalTime(EXPIRES_AT, 0), EXPIRES_AT);
  });

  it("is not due one second before renewAt and is due at and after it", () => {
    const renewAt = renewalTime(EXPIRES_AT, 300);
    assert.equal(isRenewalDue(at("2026-11-23T12:09:59Z"), renewAt), false);
    assert.equal(isRenewalDue(at("2026-11-23T12:10:00Z"), renewAt), true);
    assert.equal(isRenewalDue(at("2026-11-23T12:10:01Z"), renewAt), true);
  });

  it("treats an unreadable renewAt as due, so a damaged state heals with a new token", () => {
    assert.equal(isRenewalDue(at("2026-11-23T12:00:00Z"), ""), true);
    assert.equal(isRenewalDue(at("2026-11-23T12:00:00Z"), "not a time"), true);
  });

  describe("with this machine's clock 10 minutes behind the service", () => {
    const offset = 600_000;
    const renewAt = renewalTime(EXPIRES_AT, 300);

    it("still renews before the token expires on the service's clock", () => {
      // Service time 12:10:00 is local 12:00:00: an uncorrected rule would wait until after expiry.
      assert.equal(isRenewalDue(at("2026-11-23T12:00:00Z"), renewAt, offset), true);
      assert.equal(isRenewalDue(at("2026-11-23T12:00:00Z"), renewAt), false);
    });

    it("does not renew while the service's time is before renewAt", () => {
      assert.equal(isRenewalDue(at("2026-11-23T11:59:59Z"), renewAt, offset), false);
    });
  });

  describe("with this machine's clock 10 minutes ahead of the service", () => {
    const offset = -600_000;
    const renewAt = renewalTime(EXPIRES_AT, 300);

    it("does not renew needlessly early", () => {
      // Local 12:19:59 is service 12:09:59; an uncorrected rule would renew every up.
      assert.equal(isRenewalDue(at("2026-11-23T12:19:59Z"), renewAt, offset), false);
      assert.equal(isRenewalDue(at("2026-11-23T12:19:59Z"), renewAt), true);
    });

    it("renews once the service's time reaches renewAt", () => {
      assert.equal(isRenewalDue(at("2026-11-23T12:20:00Z"), renewAt, offset), true);
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
