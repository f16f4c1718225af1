/**
 * Property-based tests of `check`: generated property bags, from valid to hostile, judged by
 * invariants and by an oracle built from the service's own model (see service-model-oracle.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { checkInputs, UNKNOWN, type CheckContext } from "../../../provider/lifecycle/check";
import type { SessionCredentialsInputs } from "../../../provider/lifecycle/inputs";
import { credentialsRequest } from "../../../provider/lifecycle/mint";
import {
  javaPattern,
  loadEmrContainersModel,
  requestOracle,
  type RequestOracle,
} from "../../support/service-model-oracle";

/** Bags generated per property: at least 10,000 per run, as the issue asks. */
const RUNS = 10_000;
/** Left out of a bag altogether. */
const ABSENT = Symbol("absent");

const partition = fc.constantFrom("aws", "aws-cn", "aws-us-gov", "aws-iso-b");
const region = fc.constantFrom("us-west-2", "eu-central-1", "cn-north-1", "us-gov-west-1", "ap-southeast-3");
const account = fc.stringMatching(/^\d{12}$/);
const resourceId = fc.stringMatching(/^[0-9a-z]{1,64}$/);

/** Strings at and around every length bound of the model and of check, in plain, blank, multi-line and non-ASCII fillings. */
const boundaryString = fc
  .tuple(
    fc.constantFrom(0, 1, 2, 3, 4, 19, 20, 21, 62, 63, 64, 65, 255, 256, 257, 1024, 1025, 2047, 2048, 2049),
    fc.constantFrom("a", "0", " ", "\t", "\n", "\u00a0", "\u0085", "\u2028", "é", "😀", "x\n"),
  )
  .map(([length, fill]) => fill.repeat(length).slice(0, Math.max(length, 0)));

/** Values no input should take: wrong types, non-finite and odd numbers, unicode, the unknown sentinel. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(UNKNOWN, NaN, Infinity, -Infinity, -0, 0, -1, 0.5, 2 ** 31, 2 ** 53, Number.MAX_VALUE, 1e-300),
  fc.constantFrom(null, undefined, true, false, [], {}, ["a"], { a: 1 }, "", " ", "\n"),
  fc.constantFrom("http://a b", "http://", "https://[", "ftp://host", "http://host:99999", "http:///x"),
  fc.constantFrom("TOKEN", "token", "TOKEN\n", "us-west-2\n", "x\u0085y", "a\u2028b"),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  boundaryString,
  fc.double(),
  fc.integer(),
  fc.anything({ maxDepth: 2 }),
);

/** The identity a bag's identifiers and role share: one partition, region, account and cluster. */
interface Identity {
  partition: string;
  region: string;
  account: string;
  vc: string;
  ep: string;
}

const identity: fc.Arbitrary<Identity> = fc.record({ partition, region, account, vc: resourceId, ep: resourceId });

/** A valid value, given the bag's identity (built once per arbitrary: making arbitraries per bag is slow). */
class Valid {
  constructor(readonly of: (id: Identity) => unknown) {}
}

const fixed = (arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((value) => new Valid(() => value));
const clusterArn = (id: Identity) =>
  `arn:${id.partition}:emr-containers:${id.region}:${id.account}:/virtualclusters/${id.vc}`;

const VALID: Record<string, fc.Arbitrary<Valid>> = {
  virtualClusterIdentifier: fc.boolean().map((arn) => new Valid((id) => (arn ? clusterArn(id) : id.vc))),
  endpointIdentifier: fc
    .boolean()
    .map((arn) => new Valid((id) => (arn ? `${clusterArn(id)}/endpoints/${id.ep}` : id.ep))),
  executionRoleArn: fc
    .tuple(fc.constantFrom("", "service/", "a/b/"), fc.stringMatching(/^[\w+=,.@-]{1,64}$/))
    .map(([path, name]) => new Valid((id) => `arn:${id.partition}:iam::${id.account}:role/${path}${name}`)),
  credentialType: fixed(fc.constant("TOKEN")),
  durationInSeconds: fixed(fc.oneof(fc.constantFrom(1, 2, 900, 43200), fc.integer({ min: 1, max: 43200 }))),
  renewBeforeSeconds: fixed(
    fc.oneof(fc.constantFrom(0, 1, 300), fc.nat({ max: 43199 }), fc.double({ min: 0, max: 1e4 })),
  ),
  logContext: fixed(fc.stringMatching(/^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$/)),
  clientToken: fixed(fc.string({ minLength: 1, maxLength: 64, unit: "grapheme-ascii" })),
  triggers: fixed(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(UNKNOWN)))),
  region: fc.constant(new Valid((id) => id.region)),
  profile: fixed(fc.string({ minLength: 1, maxLength: 40 })),
  endpoint: fixed(fc.webUrl()),
  maxAttempts: fixed(fc.integer({ min: 1, max: 20 })),
  timeoutSeconds: fixed(fc.integer({ min: 1, max: 3600 })),
  describeEndpoint: fixed(fc.boolean()),
  resourceName: fixed(fc.string({ minLength: 1, maxLength: 40 })),
};

/** Odd names a bag may carry besides the inputs: prototype keys, a typo, the host's own. */
const strayName = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "durationInSecond", ""),
  fc.string({ maxLength: 12 }),
);

/** A property bag as a program could hand one over: each input absent, valid or hostile, plus stray names. */
const bag: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    identity,
    fc.tuple(
      ...Object.entries(VALID).map(([name, valid]) =>
        fc
          .oneof(
            { weight: 6, arbitrary: valid },
            { weight: 2, arbitrary: hostile },
            { weight: 2, arbitrary: fc.constant<unknown>(ABSENT) },
          )
          .map((value) => [name, value] as [string, unknown]),
      ),
    ),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(fc.tuple(strayName, hostile), { maxLength: 2 }) },
    ),
  )
  .map(([id, inputs, strays]) =>
    // fromEntries defines own properties, so `__proto__` is a key like any other, as in JSON.parse.
    Object.fromEntries(
      [...inputs, ...strays]
        .filter(([, value]) => value !== ABSENT)
        .map(([name, value]) => [name, value instanceof Valid ? value.of(id) : value]),
    ),
  );

/** Where defaults come from: stack config and environment, sometimes wrong too. */
const context: fc.Arbitrary<CheckContext> = fc.record(
  {
    stackRegion: fc.oneof(region, fc.constantFrom("Oregon", "", "us-west-2\n")),
    stackProfile: fc.string({ maxLength: 20 }),
    env: fc.record(
      { AWS_REGION: fc.oneof(region, fc.constantFrom("Oregon", "x")), AWS_DEFAULT_REGION: region },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["env"] },
);

/** True when every member the service would receive is known: a preview's unknowns are never sent. */
function fullyKnown(inputs: Record<string, unknown>, oracle: RequestOracle): boolean {
  return oracle.members.every((name) => inputs[name] !== UNKNOWN);
}

describe(`check, on ${RUNS} generated property bags per property`, () => {
  let oracle: RequestOracle;

  before(function () {
    // Loading runs python3 once: a missing botocore fails here, with the pip command, never skips.
    oracle = requestOracle(loadEmrContainersModel(), "GetManagedEndpointSessionCredentials");
  });

  it("never throws, and names a property with a reason in every failure", () => {
    fc.assert(
      fc.property(bag, context, (news, ctx) => {
        const before = fc.stringify(news);
        const { failures } = checkInputs(news, ctx);
        assert.equal(fc.stringify(news), before, "check leaves the bag as it was");
        // Besides the bag's own names: a required input it lacks, and the inputs taken from config or environment.
        const nameable = new Set([...Object.keys(news), ...oracle.required, "region", "profile"]);
        for (const failure of failures) {
          assert.equal(typeof failure.property, "string");
          assert.ok(nameable.has(failure.property), `failure names ${failure.property}, which the bag does not have`);
          assert.equal(typeof failure.reason, "string");
          assert.ok(failure.reason.length > 0);
          assert.doesNotMatch(failure.reason, /\[object |undefined|got null/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("accepts only requests the service accepts, judged by the service's own model", () => {
    fc.assert(
      fc.property(bag, context, (news, ctx) => {
        const { inputs, failures } = checkInputs(news, ctx);
        if (failures.length > 0 || !fullyKnown(inputs, oracle)) return;
        const checked = inputs as SessionCredentialsInputs;
        const request = credentialsRequest(checked, checked.clientToken ?? "c0ffee00-0000-4000-8000-000000000000");
        assert.deepEqual(oracle({ ...request }), [], JSON.stringify(request));
        if (checked.endpoint !== undefined && checked.endpoint !== UNKNOWN) {
          assert.match(new URL(checked.endpoint).protocol, /^https?:$/, "the SDK can parse the endpoint");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("is idempotent: checking its own output changes nothing", () => {
    fc.assert(
      fc.property(bag, context, (news, ctx) => {
        const first = checkInputs(news, ctx);
        const second = checkInputs(first.inputs, ctx);
        assert.deepEqual(second.inputs, first.inputs);
        assert.deepEqual(second.failures, first.failures);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the oracle's reading of the service's Java patterns", () => {
  it("matches whole values, with Java's `.` (no line terminator) and `\\S` (anything but ASCII blanks)", () => {
    const nonBlank = javaPattern(".*\\S.*");
    for (const accepted of ["a", " a ", "\u00a0", "a\u0085", "\u2028a"]) {
      assert.ok(nonBlank.test(accepted), JSON.stringify(accepted));
    }
    for (const refused of ["", " \t", "a\nb", "\r", "a\u2028b\u2028"]) {
      assert.ok(!nonBlank.test(refused), JSON.stringify(refused));
    }
    assert.ok(!javaPattern("[0-9a-z]+").test("ab-"), "anchored at both ends");
  });

  it("refuses to translate what it does not know, rather than judge wrongly", () => {
    assert.throws(() => javaPattern("\\p{Alpha}+"), /cannot translate \\p/);
    assert.throws(() => javaPattern("a*+"), /possessive/);
  });
});
