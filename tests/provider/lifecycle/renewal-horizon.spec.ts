import assert from "node:assert/strict";
import { RENEWAL_HORIZON_ENV, renewalHorizonSeconds } from "../../../provider/lifecycle/renewal-horizon";

describe("renewal horizon from the environment", () => {
  it("is 0 when the variable is unset or empty, as for a plain pulumi up", () => {
    assert.equal(renewalHorizonSeconds({}), 0);
    assert.equal(renewalHorizonSeconds({ [RENEWAL_HORIZON_ENV]: "" }), 0);
  });

  it("reads whole seconds", () => {
    assert.equal(renewalHorizonSeconds({ [RENEWAL_HORIZON_ENV]: "1200" }), 1200);
    assert.equal(renewalHorizonSeconds({ [RENEWAL_HORIZON_ENV]: "0" }), 0);
  });

  it("refuses anything else, naming the variable, its value and who sets it", () => {
    for (const value of ["20m", "-1", "1e3", "12.5", "soon", "99999999999999999999"])
      assert.throws(
        () => renewalHorizonSeconds({ [RENEWAL_HORIZON_ENV]: value }),
        (error: Error) =>
          error.message.startsWith(`${RENEWAL_HORIZON_ENV} is "${value}": it must be a whole number of seconds`) &&
          error.message.includes("renew sets it from --within"),
        value,
      );
  });
});
