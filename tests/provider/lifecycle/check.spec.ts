import assert from "node:assert/strict";
import { checkInputs, UNKNOWN, type CheckContext } from "../../../provider/lifecycle/check";
import {
  ACCOUNT,
  ENDPOINT_ARN,
  ENDPOINT_ID,
  REGION,
  VIRTUAL_CLUSTER_ARN,
  VIRTUAL_CLUSTER_ID,
  validInputs,
} from "../../fixtures/session-inputs";

const NO_DEFAULTS: CheckContext = { env: {} };

function failuresOf(news: Record<string, unknown>, context = NO_DEFAULTS) {
  return checkInputs(news, context).failures;
}

/** Asserts that exactly `property` fails, with a reason matching `reason`. */
function assertFails(news: Record<string, unknown>, property: string, reason: RegExp) {
  const failures = failuresOf(news);
  assert.deepEqual(
    failures.map((f) => f.property),
    [property],
    JSON.stringify(failures),
  );
  assert.match(failures[0]!.reason, reason);
}

describe("check", () => {
  it("accepts valid inputs and fills in the defaults", () => {
    const { inputs, failures } = checkInputs(validInputs(), NO_DEFAULTS);
    assert.deepEqual(failures, []);
    assert.equal(inputs.credentialType, "TOKEN");
    assert.equal(inputs.durationInSeconds, 900);
    assert.equal(inputs.renewBeforeSeconds, 300);
  });

  it("defaults renewBeforeSeconds to a third of the duration", () => {
    assert.equal(checkInputs(validInputs({ durationInSeconds: 43200 }), NO_DEFAULTS).inputs.renewBeforeSeconds, 14400);
    assert.equal(checkInputs(validInputs({ durationInSeconds: 100 }), NO_DEFAULTS).inputs.renewBeforeSeconds, 33);
  });

  it("drops undefined inputs, which the engine cannot encode", () => {
    const { inputs } = checkInputs(validInputs({ logContext: undefined }), NO_DEFAULTS);
    assert.equal("logContext" in inputs, false);
  });

  it("reports each missing required input by name", () => {
    const failures = failuresOf({ region: REGION });
    assert.deepEqual(failures.map((f) => f.property).sort(), [
      "endpointIdentifier",
      "executionRoleArn",
      "virtualClusterIdentifier",
    ]);
    assert.ok(failures.every((f) => f.reason === "is required"));
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ["virtualClusterIdentifier", "", /1 to 2048 characters/],
    ["virtualClusterIdentifier", "x".repeat(2049), /1 to 2048 characters/],
    ["virtualClusterIdentifier", "   ", /blank/],
    ["virtualClusterIdentifier", "My-Cluster", /virtual cluster ID .* or a virtual cluster ARN/],
    ["virtualClusterIdentifier", ENDPOINT_ARN, /virtual cluster ARN/],
    ["endpointIdentifier", VIRTUAL_CLUSTER_ARN, /managed endpoint ARN/],
    ["endpointIdentifier", 42, /must be a string/],
    ["executionRoleArn", "arn:aws:iam::1:role/x", /IAM role ARN/],
    ["executionRoleArn", "arn:aws:iam::123456789012:user/someone", /IAM role ARN/],
    ["executionRoleArn", "arn:aws:iam::role/x", /20 to 2048 characters/],
    ["credentialType", "PASSWORD", /"TOKEN"/],
    ["durationInSeconds", 0, /whole number from 1 to 43200/],
    ["durationInSeconds", 43201, /whole number from 1 to 43200/],
    ["durationInSeconds", 90.5, /whole number/],
    ["durationInSeconds", "900", /whole number/],
    ["logContext", "ab", /3 to 63 characters/],
    ["logContext", "Upper-Case", /lowercase letters/],
    ["logContext", "ends-with-dash-", /lowercase letters/],
    ["logContext", "my-bucket-s3alias", /lowercase letters/],
    ["logContext", "xn--punycode", /lowercase letters/],
    ["clientToken", "", /1 to 64 characters/],
    ["clientToken", "t".repeat(65), /1 to 64 characters/],
    ["clientToken", " ", /blank/],
    ["renewBeforeSeconds", -1, /0 or more/],
    ["renewBeforeSeconds", 900, /less than durationInSeconds \(900\)/],
    ["renewBeforeSeconds", 1000, /less than durationInSeconds/],
    ["triggers", { build: 7 }, /map of strings/],
    ["triggers", ["a"], /map of strings/],
    ["region", "Oregon", /AWS region/],
    ["profile", "", /1 to 256 characters/],
    ["endpoint", "localhost:4566", /http\(s\) URL/],
    ["endpoint", "http://a b", /http\(s\) URL such as https:\/\/.*got "http:\/\/a b"/],
    ["clientToken", "deploy\n2026", /one line/],
    ["clientToken", "deploy\u2028", /one line/],
    ["durationInSeconds", NaN, /got NaN$/],
    ["renewBeforeSeconds", Infinity, /got Infinity$/],
    ["durationInSecond", 60, /is not an input of ManagedEndpointSessionCredentials/],
    ["constructor", 1, /is not an input/],
    ["toString", 1, /is not an input/],
    ["maxAttempts", 0, /whole number from 1 to 20/],
    ["timeoutSeconds", 0, /whole number from 1 to 3600/],
    ["timeoutSeconds", 3601, /whole number from 1 to 3600/],
    ["timeoutSeconds", 1.5, /whole number from 1 to 3600/],
  ];
  for (const [property, value, reason] of bad) {
    it(`rejects ${property} = ${JSON.stringify(value).slice(0, 40)}`, () => {
      assertFails(validInputs({ [property]: value }), property, reason);
    });
  }

  it("reports a `__proto__` key as a stray name rather than throw", () => {
    const news = Object.fromEntries([...Object.entries(validInputs()), ["__proto__", 1]]);
    assertFails(news, "__proto__", /is not an input/);
  });

  it("blames a bad durationInSeconds alone, not the renewBeforeSeconds it would default", () => {
    for (const duration of [NaN, -3, Infinity, "900"]) {
      assertFails(validInputs({ durationInSeconds: duration }), "durationInSeconds", /whole number/);
    }
  });

  it("accepts a logContext of 3 and of 63 characters, and a role with a path", () => {
    for (const ok of [
      { logContext: "abc" },
      { logContext: "a".repeat(63) },
      { executionRoleArn: `arn:aws-us-gov:iam::${ACCOUNT}:role/service/emr/exec` },
      { durationInSeconds: 1, renewBeforeSeconds: 0 },
    ]) {
      assert.deepEqual(failuresOf(validInputs(ok)), [], JSON.stringify(ok));
    }
  });

  describe("identifiers given as ARNs", () => {
    it("accepts matching virtual cluster and endpoint ARNs, and an endpoint ARN beside the cluster's ID", () => {
      assert.deepEqual(
        failuresOf(validInputs({ virtualClusterIdentifier: VIRTUAL_CLUSTER_ARN, endpointIdentifier: ENDPOINT_ARN })),
        [],
      );
      assert.deepEqual(failuresOf(validInputs({ endpointIdentifier: ENDPOINT_ARN })), []);
    });

    it("rejects an endpoint ARN of another virtual cluster", () => {
      assertFails(
        validInputs({ endpointIdentifier: ENDPOINT_ARN.replace(VIRTUAL_CLUSTER_ID, "othercluster") }),
        "endpointIdentifier",
        /endpoint of virtual cluster othercluster, not of vc0123/,
      );
    });

    for (const [part, from, to] of [
      ["region", ":us-west-2:", ":eu-west-1:"],
      ["accountId", ACCOUNT, "210987654321"],
      ["partition", "arn:aws:", "arn:aws-cn:"],
    ] as const) {
      it(`rejects ARNs whose ${part} disagree`, () => {
        const failures = failuresOf(
          validInputs({
            region: undefined,
            virtualClusterIdentifier: VIRTUAL_CLUSTER_ARN,
            endpointIdentifier: ENDPOINT_ARN.replace(from, to),
          }),
        );
        assert.ok(
          failures.some((f) => f.property === "endpointIdentifier" && f.reason.includes(part)),
          JSON.stringify(failures),
        );
      });
    }

    it("rejects a region that disagrees with the ARNs", () => {
      assertFails(
        validInputs({ endpointIdentifier: ENDPOINT_ARN, region: "eu-west-1" }),
        "region",
        /identifiers' ARN is in us-west-2/,
      );
    });
  });

  describe("region", () => {
    const without = validInputs({ region: undefined });
    const resolved = (news: Record<string, unknown>, context: CheckContext) => checkInputs(news, context).inputs.region;

    it("prefers the input, then an ARN's region, then aws:region, then AWS_REGION, then AWS_DEFAULT_REGION", () => {
      const all: CheckContext = {
        stackRegion: "eu-west-1",
        env: { AWS_REGION: "ap-south-1", AWS_DEFAULT_REGION: "sa-east-1" },
      };
      assert.equal(resolved(validInputs({ region: "us-east-2", endpointIdentifier: ENDPOINT_ID }), all), "us-east-2");
      assert.equal(resolved({ ...without, endpointIdentifier: ENDPOINT_ARN }, all), REGION);
      assert.equal(resolved(without, all), "eu-west-1");
      assert.equal(resolved(without, { env: all.env }), "ap-south-1");
      assert.equal(resolved(without, { env: { AWS_DEFAULT_REGION: "sa-east-1" } }), "sa-east-1");
    });

    it("fails with how to set one when there is none", () => {
      assertFails(without, "region", /pulumi config set aws:region/);
    });

    it("checks a region taken from the environment or the stack's config, naming where it came from, and keeps none", () => {
      for (const [context, source] of [
        [{ env: { AWS_REGION: "Oregon" } }, "AWS_REGION"],
        [{ stackRegion: "us-west-2\n", env: {} }, "stack config aws:region"],
      ] as const) {
        const { inputs, failures } = checkInputs(without, context);
        assert.deepEqual(
          failures.map((f) => f.property),
          ["region"],
        );
        assert.match(failures[0]!.reason, new RegExp(`^taken from ${source}, must be an AWS region`));
        assert.equal(inputs.region, undefined);
      }
    });
  });

  it("checks a profile taken from aws:profile, naming where it came from", () => {
    const { inputs, failures } = checkInputs(validInputs(), { stackProfile: " ", env: {} });
    assert.deepEqual(failures, [
      { property: "profile", reason: "taken from stack config aws:profile, must not be blank" },
    ]);
    assert.equal(inputs.profile, undefined);
  });

  it("takes the profile from aws:profile unless one is given", () => {
    assert.equal(checkInputs(validInputs(), { stackProfile: "dev", env: {} }).inputs.profile, "dev");
    assert.equal(
      checkInputs(validInputs({ profile: "prod" }), { stackProfile: "dev", env: {} }).inputs.profile,
      "prod",
    );
  });

  it("does not fail on a preview's unknown values, nor guess a region for unknown identifiers", () => {
    const news = {
      virtualClusterIdentifier: UNKNOWN,
      endpointIdentifier: UNKNOWN,
      executionRoleArn: UNKNOWN,
      durationInSeconds: UNKNOWN,
      renewBeforeSeconds: UNKNOWN,
      triggers: { image: UNKNOWN },
    };
    const { inputs, failures } = checkInputs(news, NO_DEFAULTS);
    assert.deepEqual(failures, []);
    assert.equal(inputs.region, undefined);
  });
});

describe("check of deliverTo", () => {
  const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  const deliveryFailures = (deliverTo: unknown) => failuresOf(validInputs({ deliverTo }));
  const assertDeliveryFails = (deliverTo: unknown, property: string, reason: RegExp) =>
    assertFails(validInputs({ deliverTo }), property, reason);
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
    for (const deliverTo of accepted) assert.deepEqual(deliveryFailures(deliverTo), [], JSON.stringify(deliverTo));
  });

  it("keeps deliverTo as given among the checked inputs", () => {
    const deliverTo = { ssmParameter: { name: "/emr/token" } };
    assert.deepEqual(checkInputs(validInputs({ deliverTo }), { env: {} }).inputs.deliverTo, deliverTo);
  });

  it("refuses SSM parameter names that break AWS's rules, naming the member", () => {
    const name = "deliverTo.ssmParameter.name";
    assertDeliveryFails({ ssmParameter: { name: "" } }, name, /1 to 1011 characters/);
    assertDeliveryFails({ ssmParameter: { name: "x".repeat(1012) } }, name, /1 to 1011 characters.*got 1012/);
    assertDeliveryFails({ ssmParameter: { name: "/emr/session token" } }, name, /only a-z, A-Z, 0-9/);
    assertDeliveryFails({ ssmParameter: { name: "/emr/token*" } }, name, /only a-z, A-Z, 0-9/);
    assertDeliveryFails({ ssmParameter: { name: "awsToken" } }, name, /"aws" or "ssm"/);
    assertDeliveryFails({ ssmParameter: { name: "/SSM/token" } }, name, /"aws" or "ssm"/);
    assertDeliveryFails({ ssmParameter: { name: "emr/token" } }, name, /begin with '\/'/);
    assertDeliveryFails({ ssmParameter: { name: "/emr//token" } }, name, /empty level/);
    assertDeliveryFails({ ssmParameter: { name: "/emr/token/" } }, name, /empty level/);
    assertDeliveryFails(
      { ssmParameter: { name: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}` } },
      name,
      /at most 15 levels deep, got 16/,
    );
    assertDeliveryFails({ ssmParameter: { name: 42 } }, name, /must be a string/);
    assertDeliveryFails({ ssmParameter: {} }, name, /is required/);
  });

  it("refuses KMS key ids in no form AWS takes", () => {
    const key = "deliverTo.ssmParameter.kmsKeyId";
    for (const kmsKeyId of ["my-key", "alias/", "1234abcd", `arn:aws:kms:${REGION}:${ACCOUNT}:key/`, "x".repeat(257)]) {
      assertDeliveryFails({ ssmParameter: { name: "/emr/token", kmsKeyId } }, key, /must be|characters/);
    }
  });

  it("refuses secret ids that are neither a name nor an ARN", () => {
    const id = "deliverTo.secretsManagerSecret.secretId";
    assertDeliveryFails({ secretsManagerSecret: { secretId: "" } }, id, /1 to 2048 characters/);
    assertDeliveryFails({ secretsManagerSecret: { secretId: "emr gateway" } }, id, /a secret's name.*or its ARN/);
    assertDeliveryFails({ secretsManagerSecret: { secretId: "x".repeat(513) } }, id, /a secret's name/);
    assertDeliveryFails({ secretsManagerSecret: {} }, id, /is required/);
  });

  it("wants exactly one destination, of a known kind, with known members", () => {
    const both = deliveryFailures({ ssmParameter: { name: "/a" }, secretsManagerSecret: { secretId: "b" } });
    assert.deepEqual(
      both.map((f) => [f.property, f.reason]),
      [["deliverTo", "must have exactly one of ssmParameter or secretsManagerSecret, got 2"]],
    );
    assertDeliveryFails({}, "deliverTo", /exactly one of ssmParameter or secretsManagerSecret, got 0/);
    assertDeliveryFails("/emr/token", "deliverTo", /must be an object/);
    assertDeliveryFails({ s3Object: { key: "k" } }, "deliverTo.s3Object", /is not a destination/);
    assertDeliveryFails(
      { ssmParameter: { name: "/a", tier: "Advanced" } },
      "deliverTo.ssmParameter.tier",
      /not a member/,
    );
  });

  it("takes values not known yet (a preview's) as valid", () => {
    assert.deepEqual(deliveryFailures(UNKNOWN), []);
    assert.deepEqual(deliveryFailures({ secretsManagerSecret: UNKNOWN }), []);
    assert.deepEqual(deliveryFailures({ secretsManagerSecret: { secretId: UNKNOWN } }), []);
    assert.deepEqual(deliveryFailures({ ssmParameter: { name: "/emr/token", kmsKeyId: UNKNOWN } }), []);
  });
});
