import assert from "node:assert/strict";
import { checkInputs, UNKNOWN } from "../../provider/check";
import { ACCOUNT, REGION, validInputs } from "../fixtures/session-inputs";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

function failuresOf(deliverTo: unknown) {
  return checkInputs(validInputs({ deliverTo }), { env: {} }).failures;
}

/** Asserts that exactly `property` fails, with a reason matching `reason`. */
function assertFails(deliverTo: unknown, property: string, reason: RegExp) {
  const failures = failuresOf(deliverTo);
  assert.deepEqual(
    failures.map((f) => f.property),
    [property],
    JSON.stringify(failures),
  );
  assert.match(failures[0]!.reason, reason);
}

describe("check of deliverTo", () => {
  it("accepts every documented form of parameter name, KMS key and secret id", () => {
    const accepted = [
      { ssmParameter: { name: "token" } },
      { ssmParameter: { name: "/emr/notebooks/session-token_1.v2" } },
      { ssmParameter: { name: `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join("/")}` } },
      { ssmParameter: { name: "x".repeat(1011) } },
      { ssmParameter: { name: "/emr/token", kmsKeyId: KEY_ID } },
      { ssmParameter: { name: "/emr/token", kmsKeyId: `mrk-${"0123456789abcdef".repeat(2)}` } },
      { ssmParameter: { name: "/emr/token", kmsKeyId: "alias/emr-tokens" } },
      { ssmParameter: { name: "/emr/token", kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}` } },
      { ssmParameter: { name: "/emr/token", kmsKeyId: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:alias/emr` } },
      { secretsManagerSecret: { secretId: "emr/notebook-gateway" } },
      { secretsManagerSecret: { secretId: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:emr/gw-AbC123` } },
    ];
    for (const deliverTo of accepted) assert.deepEqual(failuresOf(deliverTo), [], JSON.stringify(deliverTo));
  });

  it("keeps deliverTo as given among the checked inputs", () => {
    const deliverTo = { ssmParameter: { name: "/emr/token" } };
    assert.deepEqual(checkInputs(validInputs({ deliverTo }), { env: {} }).inputs.deliverTo, deliverTo);
  });

  it("refuses SSM parameter names that break AWS's rules, naming the member", () => {
    const name = "deliverTo.ssmParameter.name";
    assertFails({ ssmParameter: { name: "" } }, name, /1 to 1011 characters/);
    assertFails({ ssmParameter: { name: "x".repeat(1012) } }, name, /1 to 1011 characters.*got 1012/);
    assertFails({ ssmParameter: { name: "/emr/session token" } }, name, /only a-z, A-Z, 0-9/);
    assertFails({ ssmParameter: { name: "/emr/token*" } }, name, /only a-z, A-Z, 0-9/);
    assertFails({ ssmParameter: { name: "awsToken" } }, name, /"aws" or "ssm"/);
    assertFails({ ssmParameter: { name: "/SSM/token" } }, name, /"aws" or "ssm"/);
    assertFails({ ssmParameter: { name: "emr/token" } }, name, /begin with '\/'/);
    assertFails({ ssmParameter: { name: "/emr//token" } }, name, /empty level/);
    assertFails({ ssmParameter: { name: "/emr/token/" } }, name, /empty level/);
    assertFails(
      { ssmParameter: { name: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}` } },
      name,
      /at most 15 levels deep, got 16/,
    );
    assertFails({ ssmParameter: { name: 42 } }, name, /must be a string/);
    assertFails({ ssmParameter: {} }, name, /is required/);
  });

  it("refuses KMS key ids in no form AWS takes", () => {
    const key = "deliverTo.ssmParameter.kmsKeyId";
    for (const kmsKeyId of ["my-key", "alias/", "1234abcd", `arn:aws:kms:${REGION}:${ACCOUNT}:key/`, "x".repeat(257)]) {
      assertFails({ ssmParameter: { name: "/emr/token", kmsKeyId } }, key, /must be|characters/);
    }
  });

  it("refuses secret ids that are neither a name nor an ARN", () => {
    const id = "deliverTo.secretsManagerSecret.secretId";
    assertFails({ secretsManagerSecret: { secretId: "" } }, id, /1 to 2048 characters/);
    assertFails({ secretsManagerSecret: { secretId: "emr gateway" } }, id, /a secret's name.*or its ARN/);
    assertFails({ secretsManagerSecret: { secretId: "x".repeat(513) } }, id, /a secret's name/);
    assertFails({ secretsManagerSecret: {} }, id, /is required/);
  });

  it("wants exactly one destination, of a known kind, with known members", () => {
    const both = failuresOf({ ssmParameter: { name: "/a" }, secretsManagerSecret: { secretId: "b" } });
    assert.deepEqual(
      both.map((f) => [f.property, f.reason]),
      [["deliverTo", "must have exactly one of ssmParameter or secretsManagerSecret, got 2"]],
    );
    assertFails({}, "deliverTo", /exactly one of ssmParameter or secretsManagerSecret, got 0/);
    assertFails("/emr/token", "deliverTo", /must be an object/);
    assertFails({ s3Object: { key: "k" } }, "deliverTo.s3Object", /is not a destination/);
    assertFails({ ssmParameter: { name: "/a", tier: "Advanced" } }, "deliverTo.ssmParameter.tier", /not a member/);
  });

  it("takes values not known yet (a preview's) as valid", () => {
    assert.deepEqual(failuresOf(UNKNOWN), []);
    assert.deepEqual(failuresOf({ secretsManagerSecret: UNKNOWN }), []);
    assert.deepEqual(failuresOf({ secretsManagerSecret: { secretId: UNKNOWN } }), []);
    assert.deepEqual(failuresOf({ ssmParameter: { name: "/emr/token", kmsKeyId: UNKNOWN } }), []);
  });
});
