/**
 * The wire tier: the provider with the REAL `@aws-sdk/client-emr-containers` client (signing,
 * path encoding, error parsing, retries with the SDK's own backoff) against the local stand-in
 * of the service, driven the way the Pulumi host drives it (check, then create/diff/...).
 * Credentials are fake static keys from the environment; no shared config file is read.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forgetServiceClients } from "../../../provider/aws/client";
import { SessionCredentialsProvider } from "../../../provider/lifecycle/session-credentials-provider";
import {
  ENDPOINT_ARN,
  ENDPOINT_ID,
  EXECUTION_ROLE_ARN,
  REGION,
  VIRTUAL_CLUSTER_ARN,
  VIRTUAL_CLUSTER_ID,
  validInputs,
} from "../../fixtures/session-inputs";
import { EmrServiceStandIn, type RecordedRequest } from "../../support/emr-service-stand-in";
import { freePort } from "../../support/free-port";

const RESOURCE_NAME = "notebook-creds";
const ACCESS_KEY_ID = "AKIDWIRETESTEXAMPLE";
const SECRET_ACCESS_KEY = "wire-test-secret-access-key";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TEN_MINUTES_MS = 600_000;
/** The defaults `check` fills in: a 15-minute token, renewed 5 minutes before it expires. */
const DEFAULT_DURATION_MS = 900_000;
const DEFAULT_RENEW_BEFORE_MS = 300_000;

/** A 400 throttle as the service sends it: the error type carries AWS's `:http://...` suffix. */
const THROTTLED = {
  status: 400,
  errorType: "RequestThrottledException:http://internal.amazon.com/coral/com.amazonaws.emrcontainers/",
  message: "Rate exceeded",
};
const INTERNAL_ERROR = { status: 500, errorType: "InternalServerException", message: "Internal failure" };

/** Every environment variable that could steer the SDK's credentials, endpoint or retries. */
const AWS_ENVIRONMENT = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_EMR_CONTAINERS",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "AWS_MAX_ATTEMPTS",
  "AWS_RETRY_MODE",
  "AWS_USE_FIPS_ENDPOINT",
  "AWS_USE_DUALSTACK_ENDPOINT",
];

/** A loopback URL on which nothing listens. */
async function closedLoopbackUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** What `promise` rejected with; fails the test if it resolved. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    return error;
  }
  return assert.fail("expected the create to be rejected");
}

describe("SessionCredentialsProvider on the wire (real AWS SDK client, local EMR stand-in)", () => {
  let standIn: EmrServiceStandIn;
  let savedEnvironment: Record<string, string | undefined>;
  let configDir: string;
  /** This machine's clock as the provider sees it; `Date.now` unless a test pins it. */
  let localNow: () => number;
  const provider = new SessionCredentialsProvider(() => localNow());

  /** The inputs as the host hands them to `create`: `check`ed, with the stand-in as `endpoint`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the host hands providers untyped property bags
  async function checked(overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const news = validInputs({ resourceName: RESOURCE_NAME, endpoint: standIn.endpoint, ...overrides });
    const result = await provider.check({}, news);
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  /** The GetManagedEndpointSessionCredentials requests the stand-in has received so far. */
  function credentialRequests(): RecordedRequest[] {
    return standIn.requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials");
  }

  function lastRequestId(): string {
    const last = standIn.requests.at(-1);
    assert.ok(last, "the stand-in received no request");
    return last.requestId;
  }

  /**
   * Asserts that a failed create's message names the resource, the endpoint and virtual cluster,
   * the URL, the AWS error code, the request id and the attempts, says what to do, and carries
   * no session token.
   */
  function assertExplains(
    error: Error,
    expected: {
      code: string;
      requestId?: string;
      attempts: number;
      remedy: RegExp;
      url?: string;
      serviceMessage?: string;
    },
  ): void {
    const message = error.message;
    assert.match(
      message,
      new RegExp(`^ManagedEndpointSessionCredentials "${RESOURCE_NAME}": GetManagedEndpointSessionCredentials failed`),
    );
    assert.ok(message.includes(`endpoint ${ENDPOINT_ID} in virtual cluster ${VIRTUAL_CLUSTER_ID}`), message);
    assert.ok(message.includes(` at ${expected.url ?? standIn.endpoint} `), message);
    assert.ok(message.includes(expected.code), message);
    if (expected.requestId !== undefined) assert.ok(message.includes(`request id ${expected.requestId}`), message);
    assert.ok(message.includes(`${expected.attempts} attempt${expected.attempts === 1 ? "" : "s"}`), message);
    if (expected.serviceMessage !== undefined) assert.ok(message.includes(expected.serviceMessage), message);
    assert.match(message, expected.remedy);
    assertCarriesNoToken(message);
  }

  function assertCarriesNoToken(message: string): void {
    for (const token of standIn.issuedTokens)
      assert.ok(!message.includes(token), "the message carries an issued token");
    assert.doesNotMatch(message, /emrsess-/);
  }

  before(async () => {
    savedEnvironment = Object.fromEntries(AWS_ENVIRONMENT.map((name) => [name, process.env[name]]));
    for (const name of AWS_ENVIRONMENT) delete process.env[name];
    configDir = mkdtempSync(join(tmpdir(), "wire-spec-"));
    process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = join(configDir, "no-such-config");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(configDir, "no-such-credentials");
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    standIn = await EmrServiceStandIn.start();
  });

  after(async () => {
    await standIn.close();
    rmSync(configDir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(savedEnvironment)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  beforeEach(() => {
    standIn.reset();
    localNow = Date.now;
  });

  describe("the request", () => {
    it("sends ARN identifiers percent-encoded whole, and the service reads them back decoded", async () => {
      await provider.create(
        await checked({ virtualClusterIdentifier: VIRTUAL_CLUSTER_ARN, endpointIdentifier: ENDPOINT_ARN }),
      );

      const [request] = credentialRequests();
      assert.ok(request);
      assert.equal(request.method, "POST");
      assert.equal(
        request.path,
        `/virtualclusters/${encodeURIComponent(VIRTUAL_CLUSTER_ARN)}/endpoints/${encodeURIComponent(ENDPOINT_ARN)}/credentials`,
      );
      assert.doesNotMatch(
        request.path.slice("/virtualclusters/".length),
        /arn:|:\/virtualclusters/,
        "no raw ':' or '/' inside a label",
      );
      assert.equal(request.virtualClusterIdentifier, VIRTUAL_CLUSTER_ARN);
      assert.equal(request.endpointIdentifier, ENDPOINT_ARN);
      assert.equal(request.status, 200);
    });

    it("sends ID identifiers as the path labels, unchanged", async () => {
      await provider.create(await checked());

      const [request] = credentialRequests();
      assert.equal(request?.path, `/virtualclusters/${VIRTUAL_CLUSTER_ID}/endpoints/${ENDPOINT_ID}/credentials`);
      assert.equal(request?.virtualClusterIdentifier, VIRTUAL_CLUSTER_ID);
      assert.equal(request?.endpointIdentifier, ENDPOINT_ID);
    });

    it("carries the role, credential type, duration, log context and a generated clientToken in the body", async () => {
      await provider.create(
        await checked({ durationInSeconds: 3600, renewBeforeSeconds: 600, logContext: "notebook-1.team" }),
      );

      const body = credentialRequests()[0]?.body ?? {};
      assert.equal(body.executionRoleArn, EXECUTION_ROLE_ARN);
      assert.equal(body.credentialType, "TOKEN");
      assert.equal(body.durationInSeconds, 3600);
      assert.equal(body.logContext, "notebook-1.team");
      assert.match(String(body.clientToken), UUID);
      assert.deepEqual(Object.keys(body).sort(), [
        "clientToken",
        "credentialType",
        "durationInSeconds",
        "executionRoleArn",
        "logContext",
      ]);
    });

    it("is signed with SigV4 by the environment's keys, for the input's region and the emr-containers service", async () => {
      await provider.create(await checked());

      const headers = credentialRequests()[0]?.headers ?? {};
      assert.match(
        headers.authorization ?? "",
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/${REGION}/emr-containers/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-date[^,]*, Signature=[0-9a-f]{64}$`,
        ),
      );
      assert.match(String(headers["x-amz-date"]), /^\d{8}T\d{6}Z$/);
      assert.equal(headers["content-type"], "application/json");
    });
  });

  describe("retries", () => {
    it("rides out a throttle and a 500 within one create, all three attempts with the same clientToken, minting one token", async () => {
      standIn.failNext(THROTTLED, INTERNAL_ERROR);

      const { outs } = await provider.create(await checked());

      const requests = credentialRequests();
      assert.deepEqual(
        requests.map((r) => r.status),
        [400, 500, 200],
      );
      const clientToken = requests[0]?.body?.clientToken;
      assert.match(String(clientToken), UUID);
      assert.deepEqual(
        requests.map((r) => r.body?.clientToken),
        [clientToken, clientToken, clientToken],
      );
      const invocation = requests[0]?.headers["amz-sdk-invocation-id"];
      assert.deepEqual(
        requests.map((r) => r.headers["amz-sdk-invocation-id"]),
        [invocation, invocation, invocation],
        "one send, retried",
      );
      assert.deepEqual(
        requests.map((r) => r.headers["amz-sdk-request"]),
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"],
      );
      assert.equal(standIn.issuedTokens.length, 1);
      assert.equal(outs.token, standIn.issuedTokens[0]);
    });

    it("rides out a dropped connection with the same clientToken, minting one token", async () => {
      standIn.failNext({ dropConnection: true });

      const { outs } = await provider.create(await checked());

      const requests = credentialRequests();
      assert.deepEqual(
        requests.map((r) => r.status),
        [0, 200],
      );
      assert.equal(requests[1]?.body?.clientToken, requests[0]?.body?.clientToken);
      assert.equal(standIn.issuedTokens.length, 1);
      assert.equal(outs.token, standIn.issuedTokens[0]);
    });

    it("rides out a response lost after the service minted: the retry carries the same clientToken and yields that one token", async () => {
      standIn.failNext({ loseResponse: true });

      const { outs } = await provider.create(await checked());

      const requests = credentialRequests();
      assert.deepEqual(
        requests.map((r) => r.status),
        [0, 200],
      );
      assert.match(String(requests[0]?.body?.clientToken), UUID);
      assert.equal(requests[1]?.body?.clientToken, requests[0]?.body?.clientToken);
      assert.deepEqual(standIn.issuedTokens, [outs.token], "minted once, on the attempt whose answer was lost");
    });

    it("makes a single attempt when maxAttempts is 1, so one 500 fails the create", async () => {
      standIn.failNext(INTERNAL_ERROR);

      const error = await rejection(provider.create(await checked({ maxAttempts: 1 })));

      assert.equal(credentialRequests().length, 1);
      assert.equal(credentialRequests()[0]?.headers["amz-sdk-request"], "attempt=1; max=1");
      assertExplains(error, {
        code: "InternalServerException",
        requestId: lastRequestId(),
        attempts: 1,
        remedy: /failed on 1 attempt: run the update again later/,
      });
      assert.equal(standIn.issuedTokens.length, 0);
    });

    it("with maxAttempts set, gives up after that many throttled attempts, naming the last request id and the remedy", async () => {
      standIn.failNext(THROTTLED, THROTTLED, THROTTLED);

      const error = await rejection(provider.create(await checked({ maxAttempts: 3 })));

      assert.equal(credentialRequests().length, 3);
      assertExplains(error, {
        code: "RequestThrottledException",
        requestId: lastRequestId(),
        attempts: 3,
        serviceMessage: "Rate exceeded",
        remedy:
          /still throttling \(rate exceeded\) after 3 attempts over \d+\.\d s, as many as `maxAttempts` \(3\) allows; no token was handed out\..*raise `timeoutSeconds` and remove `maxAttempts`/,
      });
      assert.ok(error.message.includes("HTTP 400"), error.message);
    });
  });

  describe("a service that throttles", () => {
    afterEach(() => forgetServiceClients());

    it("is retried past 3 attempts by default, in one send whose attempts all carry its clientToken, minting one token", async () => {
      standIn.failNext(THROTTLED, THROTTLED, THROTTLED);

      const { outs } = await provider.create(await checked());

      const requests = credentialRequests();
      assert.deepEqual(
        requests.map((r) => r.status),
        [400, 400, 400, 200],
      );
      assert.equal(new Set(requests.map((r) => r.body?.clientToken)).size, 1);
      assert.equal(new Set(requests.map((r) => r.headers["amz-sdk-invocation-id"])).size, 1, "one send, retried");
      assert.deepEqual(standIn.issuedTokens, [outs.token]);
    });

    it("lets every one of 64 concurrent creates through, each in one send with its own clientToken, though none succeeds for 1.5 s", async () => {
      standIn.throttle({ perSecond: 0, burst: 0 });
      const opened = setTimeout(() => standIn.throttle({ perSecond: 20, burst: 20 }), 1_500);
      const inputs = await checked();

      const created = await Promise.all(Array.from({ length: 64 }, () => provider.create(inputs))).finally(() =>
        clearTimeout(opened),
      );

      const requests = credentialRequests();
      const byCreate = new Map<unknown, RecordedRequest[]>();
      for (const r of requests)
        byCreate.set(r.headers["amz-sdk-invocation-id"], [
          ...(byCreate.get(r.headers["amz-sdk-invocation-id"]) ?? []),
          r,
        ]);
      assert.equal(byCreate.size, 64, "one send per create");
      for (const attempts of byCreate.values()) {
        assert.equal(new Set(attempts.map((r) => r.body?.clientToken)).size, 1, "one clientToken per create");
        assert.deepEqual(
          attempts.map((r) => r.status),
          [...attempts.slice(1).map(() => 400), 200],
          "throttled until one success",
        );
      }
      assert.equal(new Set(requests.map((r) => r.body?.clientToken)).size, 64);
      assert.deepEqual(created.map((c) => c.outs.token).sort(), [...standIn.issuedTokens].sort());
    });

    it("fails once timeoutSeconds is up, naming the throttling, the attempts, the time spent and what to do, minting nothing", async () => {
      standIn.throttle({ perSecond: 0, burst: 0 });
      const started = Date.now();

      const error = await rejection(provider.create(await checked({ timeoutSeconds: 5 })));

      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5_500, `bounded by timeoutSeconds: ${elapsed} ms`);
      const sent = credentialRequests();
      assert.ok(sent.length >= 3, `retried as long as the limiter let it: ${sent.length}`);
      // On a loaded machine the deadline may cut the last attempt off, in flight (its answer unread)
      // or before it was sent; the call fails of throttling all the same, naming the last answer read.
      const attempts = Number(/, (\d+) attempts\)/.exec(error.message)?.[1]);
      assert.ok(attempts === sent.length || attempts === sent.length + 1, error.message);
      const lastRead = attempts === sent.length ? sent.slice(-2) : sent.slice(-1);
      assert.ok(
        lastRead.some((r) => error.message.includes(`request id ${r.requestId},`)),
        error.message,
      );
      assertExplains(error, {
        code: "RequestThrottledException",
        attempts,
        serviceMessage: "Rate exceeded",
        remedy: new RegExp(
          `still throttling \\(rate exceeded\\) after ${attempts} attempts over [2-5]\\.\\d s, as long as \`timeoutSeconds\` \\(5\\) allows; ` +
            "no token was handed out\\. The calls of this update share the request rate of the account in us-west-2 with every other caller: " +
            "raise `timeoutSeconds`, lower `pulumi up --parallel`, or ask AWS for a higher rate; then run the update again, which creates what is missing\\.$",
        ),
      });
      assert.equal(standIn.issuedTokens.length, 0);
    });
  });

  describe("a service that does not answer", () => {
    it("cuts off a silent attempt after its share of timeoutSeconds and retries it with the same clientToken", async () => {
      standIn.failNext({ neverAnswer: true });
      const started = Date.now();

      const { outs } = await provider.create(await checked({ timeoutSeconds: 3 }));

      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 2_500, `a 1 s attempt, then an answer: ${elapsed} ms`);
      const requests = credentialRequests();
      assert.deepEqual(
        requests.map((r) => r.status),
        [0, 200],
      );
      assert.equal(requests[1]?.body?.clientToken, requests[0]?.body?.clientToken);
      assert.deepEqual(standIn.issuedTokens, [outs.token]);
    });

    it("fails the create once timeoutSeconds is up over all attempts, naming the endpoint, the wait, the attempts and what to do", async () => {
      standIn.failNext({ neverAnswer: true }, { neverAnswer: true }, { neverAnswer: true });
      const started = Date.now();

      const error = await rejection(provider.create(await checked({ timeoutSeconds: 1 })));

      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 2_000, `${elapsed} ms for a 1 s timeout`);
      assert.equal(credentialRequests().length, 3);
      assertExplains(error, {
        code: "timed out",
        attempts: 3,
        remedy:
          /did not answer: waited [12]\.\d s over 3 attempts \(each cut off after 0\.3 s, the call after 1\.0 s\)\. Check the network.*raise `timeoutSeconds`/,
      });
      assert.equal(standIn.issuedTokens.length, 0);
    });

    it("bounds a silent DescribeManagedEndpoint the same way, minting nothing", async () => {
      standIn.failNext({ neverAnswer: true });

      const error = await rejection(
        provider.create(await checked({ timeoutSeconds: 1, maxAttempts: 1, describeEndpoint: true })),
      );

      assert.match(error.message, /DescribeManagedEndpoint failed .*\(timed out \(\w+\), 1 attempt\).*did not answer/);
      assert.equal(credentialRequests().length, 0);
    });
  });

  describe("credentials", () => {
    it("are resolved once per process, not once per create, for a profile that runs a credential process", async () => {
      const counter = join(configDir, "credential-process-runs");
      const script = join(configDir, "credential-process.js");
      writeFileSync(
        script,
        `require("node:fs").appendFileSync(${JSON.stringify(counter)}, "run\\n");\n` +
          `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROCESSEXAMPLE", SecretAccessKey: "process-secret" }));\n`,
      );
      const config = join(configDir, "credential-process-config");
      writeFileSync(config, `[profile counted]\ncredential_process = "${process.execPath}" "${script}"\n`);
      const saved = { ...process.env };
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_CONFIG_FILE = config;
      forgetServiceClients();
      try {
        const inputs = await checked({ profile: "counted", describeEndpoint: true });
        for (let i = 0; i < 5; i++) await provider.create(inputs);
      } finally {
        process.env.AWS_ACCESS_KEY_ID = saved.AWS_ACCESS_KEY_ID;
        process.env.AWS_SECRET_ACCESS_KEY = saved.AWS_SECRET_ACCESS_KEY;
        process.env.AWS_CONFIG_FILE = saved.AWS_CONFIG_FILE;
        forgetServiceClients();
      }

      assert.equal(standIn.requests.length, 10, "five describes and five mints");
      assert.ok(
        standIn.requests.every((r) => (r.headers.authorization ?? "").includes("Credential=AKIDPROCESSEXAMPLE/")),
        "signed with the process's keys",
      );
      assert.equal(readFileSync(counter, "utf8"), "run\n", "the credential process ran once");
    });
  });

  describe("error messages through the real SDK's parsing", () => {
    it("explains a ValidationException and names the input to fix", async () => {
      const serviceMessage =
        "Execution role arn:aws:iam::123456789012:role/emr-notebook-execution is not allowed for this endpoint";
      standIn.failNext({ status: 400, errorType: "ValidationException", message: serviceMessage });

      const error = await rejection(provider.create(await checked()));

      assert.equal(credentialRequests().length, 1, "a ValidationException is not retried");
      assertExplains(error, {
        code: "ValidationException",
        requestId: lastRequestId(),
        attempts: 1,
        serviceMessage,
        remedy: /Fix the input.*`executionRoleArn`/,
      });
    });

    it("explains a ResourceNotFoundException for an endpoint the service does not know", async () => {
      standIn.registerEndpoint({ virtualClusterId: VIRTUAL_CLUSTER_ID, id: "epsomeotherendpoint" });

      const error = await rejection(provider.create(await checked()));

      assert.equal(credentialRequests().length, 1);
      assertExplains(error, {
        code: "ResourceNotFoundException",
        requestId: lastRequestId(),
        attempts: 1,
        serviceMessage: `Managed endpoint ${ENDPOINT_ID} does not exist`,
        remedy: new RegExp(`Check that the endpoint exists in virtual cluster ${VIRTUAL_CLUSTER_ID} in ${REGION}`),
      });
    });

    for (const status of [400, 403]) {
      it(`explains an AccessDeniedException sent as HTTP ${status}, naming the permission to grant`, async () => {
        standIn.failNext({
          status,
          errorType: "AccessDeniedException",
          message: "User is not authorized to perform this action",
        });

        const error = await rejection(provider.create(await checked()));

        assertExplains(error, {
          code: "AccessDeniedException",
          requestId: lastRequestId(),
          attempts: 1,
          serviceMessage: "User is not authorized",
          remedy: /Allow the caller `emr-containers:GetManagedEndpointSessionCredentials`/,
        });
        assert.ok(error.message.includes(`HTTP ${status}`), error.message);
      });
    }

    it("explains an UnrecognizedClientException as rejected credentials", async () => {
      standIn.failNext({
        status: 403,
        errorType: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
      });

      const error = await rejection(provider.create(await checked()));

      assertExplains(error, {
        code: "UnrecognizedClientException",
        requestId: lastRequestId(),
        attempts: 1,
        remedy: /AWS credentials were rejected: refresh them/,
      });
    });

    it("explains an InternalServerException that outlasted the retries", async () => {
      standIn.failNext(INTERNAL_ERROR, INTERNAL_ERROR, INTERNAL_ERROR);

      const error = await rejection(provider.create(await checked()));

      assert.equal(credentialRequests().length, 3);
      assertExplains(error, {
        code: "InternalServerException",
        requestId: lastRequestId(),
        attempts: 3,
        remedy: /failed on 3 attempts: run the update again later; no token was handed out/,
      });
      assert.ok(error.message.includes("HTTP 500"), error.message);
    });

    it("explains a network failure at an endpoint URL where nothing listens", async () => {
      const url = await closedLoopbackUrl();

      const error = await rejection(provider.create(await checked({ endpoint: url })));

      assertExplains(error, {
        code: "network error ECONNREFUSED",
        attempts: 3,
        url,
        remedy: /Check the network, the region and `endpoint`/,
      });
      assert.equal(standIn.requests.length, 0);
    });

    it("explains that no AWS credentials were found, without calling the service", async () => {
      const config = join(configDir, "empty-config");
      const credentials = join(configDir, "empty-credentials");
      writeFileSync(config, "");
      writeFileSync(credentials, "");
      const saved = { ...process.env };
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_CONFIG_FILE = config;
      process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
      forgetServiceClients(); // the process's clients hold the credentials they resolved from the environment
      let error: Error;
      try {
        error = await rejection(provider.create(await checked()));
      } finally {
        process.env.AWS_ACCESS_KEY_ID = saved.AWS_ACCESS_KEY_ID;
        process.env.AWS_SECRET_ACCESS_KEY = saved.AWS_SECRET_ACCESS_KEY;
        process.env.AWS_CONFIG_FILE = saved.AWS_CONFIG_FILE;
        process.env.AWS_SHARED_CREDENTIALS_FILE = saved.AWS_SHARED_CREDENTIALS_FILE;
      }

      assertExplains(error, {
        code: "CredentialsProviderError",
        attempts: 1,
        remedy: /No AWS credentials were found: set `profile`/,
      });
      assert.equal(standIn.requests.length, 0);
    });

    it("never puts an issued token into a failure's message", async () => {
      await provider.create(await checked());
      standIn.failNext(INTERNAL_ERROR, INTERNAL_ERROR, INTERNAL_ERROR);

      const error = await rejection(provider.create(await checked()));

      assert.equal(standIn.issuedTokens.length, 1);
      assert.ok(!error.message.includes(standIn.issuedTokens[0]!));
      assertCarriesNoToken(error.message);
    });
  });

  for (const [direction, skewMs] of [
    ["ahead of", TEN_MINUTES_MS],
    ["behind", -TEN_MINUTES_MS],
  ] as const) {
    describe(`clock skew: the service's clock 10 minutes ${direction} this machine's`, () => {
      beforeEach(() => {
        standIn.clock = () => Date.now() + skewMs;
      });

      /** Creates at this machine's real time; returns the outputs and the local time of minting. */
      async function mint() {
        const mintedAt = Date.now();
        const { outs } = await provider.create(await checked());
        return { outs, mintedAt };
      }

      it("keeps expiresAt on the service's clock and puts renewAt on this machine's", async () => {
        const { outs, mintedAt } = await mint();

        assert.ok(
          Math.abs(outs.serviceClockOffsetMs - skewMs) <= 2_000,
          `serviceClockOffsetMs ${outs.serviceClockOffsetMs}`,
        );
        const expiresAt = Date.parse(outs.expiresAt);
        assert.ok(
          Math.abs(expiresAt - (mintedAt + skewMs + DEFAULT_DURATION_MS)) <= 2_000,
          `expiresAt ${outs.expiresAt}`,
        );
        assert.equal("grantedSeconds" in outs, false, "granted in full");
        assert.equal(
          outs.renewAt,
          new Date(expiresAt - DEFAULT_RENEW_BEFORE_MS - outs.serviceClockOffsetMs).toISOString(),
        );
        assert.ok(
          Math.abs(Date.parse(outs.renewAt) - (mintedAt + DEFAULT_DURATION_MS - DEFAULT_RENEW_BEFORE_MS)) <= 2_000,
          "10 minutes after minting, by this machine's clock",
        );
      });

      it("does not renew a minute after minting, nor a millisecond before renewAt, and renews at renewAt", async () => {
        const { outs, mintedAt } = await mint();
        const inputs = await checked();

        localNow = () => mintedAt + 60_000;
        assert.deepEqual(await provider.diff("id", outs, inputs), {
          changes: false,
          replaces: [],
          deleteBeforeReplace: false,
        });
        localNow = () => Date.parse(outs.renewAt) - 1;
        assert.deepEqual((await provider.diff("id", outs, inputs)).replaces, []);
        localNow = () => Date.parse(outs.renewAt);
        assert.deepEqual((await provider.diff("id", outs, inputs)).replaces, ["renewAt"]);
      });

      it("renews before the token expires on the service's clock", async () => {
        const { outs } = await mint();

        const serviceTimeAtRenewAt = Date.parse(outs.renewAt) + skewMs;

        assert.ok(serviceTimeAtRenewAt < Date.parse(outs.expiresAt) - DEFAULT_RENEW_BEFORE_MS + 2_000);
        assert.ok(serviceTimeAtRenewAt > Date.parse(outs.expiresAt) - DEFAULT_RENEW_BEFORE_MS - 2_000);
      });

      it("keeps renewAt and the diff in agreement after an update of renewBeforeSeconds", async () => {
        const { outs } = await mint();
        const wider = await checked({ renewBeforeSeconds: 600 });

        const { outs: updated } = await provider.update("id", outs, wider);

        assert.equal(Date.parse(updated.renewAt), Date.parse(outs.renewAt) - 300_000);
        localNow = () => Date.parse(updated.renewAt) - 1;
        assert.deepEqual((await provider.diff("id", updated, wider)).replaces, []);
        localNow = () => Date.parse(updated.renewAt);
        assert.deepEqual((await provider.diff("id", updated, wider)).replaces, ["renewAt"]);
      });
    });
  }

  describe("a service that grants less life than asked", () => {
    it("accepts a fresh token that lives 18 s of the 3600 asked, and renews it before it expires but not at once", async () => {
      standIn.grantLimitSeconds = 18;
      const inputs = await checked({ durationInSeconds: 3600 });
      const mintedAt = Date.now();

      const { outs } = await provider.create(inputs);

      assert.equal(standIn.issuedTokens.length, 1);
      assert.ok(
        outs.grantedSeconds !== undefined && Math.abs(outs.grantedSeconds - 18) <= 2,
        String(outs.grantedSeconds),
      );
      const renewAt = Date.parse(outs.renewAt);
      assert.ok(renewAt > mintedAt + 5_000 && renewAt < Date.parse(outs.expiresAt), outs.renewAt);
      localNow = () => mintedAt + 1_000;
      assert.deepEqual((await provider.diff("id", outs, inputs)).replaces, [], "the next up keeps it");
      localNow = () => renewAt;
      assert.deepEqual((await provider.diff("id", outs, inputs)).replaces, ["renewAt"]);
    });
  });

  describe("idempotency with a pinned clientToken", () => {
    const PINNED = "deploy-2026-11-23";

    it("returns the same token for two creates with the same clientToken, and the service issues one", async () => {
      const inputs = await checked({ clientToken: PINNED });

      const first = await provider.create(inputs);
      const second = await provider.create(inputs);

      assert.deepEqual(
        credentialRequests().map((r) => r.body?.clientToken),
        [PINNED, PINNED],
      );
      assert.equal(second.outs.token, first.outs.token);
      assert.equal(second.outs.expiresAt, first.outs.expiresAt);
      assert.deepEqual(standIn.issuedTokens, [first.outs.token]);
    });

    it("refuses the replayed token once it is due for renewal, telling to change or remove clientToken", async () => {
      const inputs = await checked({ clientToken: PINNED });
      const first = await provider.create(inputs);
      const elevenMinutesLater = 660_000;
      standIn.clock = () => Date.now() + elevenMinutesLater;
      localNow = () => Date.now() + elevenMinutesLater;
      assert.deepEqual(
        (await provider.diff(first.id, first.outs, inputs)).replaces,
        ["renewAt"],
        "the host would now create a replacement",
      );

      const error = await rejection(provider.create(inputs));

      assert.equal(credentialRequests().length, 2);
      assert.match(error.message, new RegExp(`^ManagedEndpointSessionCredentials "${RESOURCE_NAME}": `));
      assert.ok(error.message.includes(`clientToken "${PINNED}"`), error.message);
      assert.ok(error.message.includes(first.outs.expiresAt), error.message);
      assert.ok(error.message.includes(lastRequestId()), error.message);
      assert.match(error.message, /change `clientToken`.*or remove it/);
      assertCarriesNoToken(error.message);
      assert.deepEqual(standIn.issuedTokens, [first.outs.token]);
    });

    it("refuses a replayed token that is due even when its whole life is under a minute", async () => {
      const inputs = await checked({ clientToken: PINNED, durationInSeconds: 45 });
      const first = await provider.create(inputs);
      const thirtyFiveSecondsLater = 35_000;
      standIn.clock = () => Date.now() + thirtyFiveSecondsLater;
      localNow = () => Date.now() + thirtyFiveSecondsLater;
      assert.deepEqual((await provider.diff(first.id, first.outs, inputs)).replaces, ["renewAt"]);

      const error = await rejection(provider.create(inputs));

      assert.ok(error.message.includes(`clientToken "${PINNED}"`), error.message);
      assert.match(error.message, /renewal window.*change `clientToken`.*or remove it/s);
      assertCarriesNoToken(error.message);
      assert.deepEqual(standIn.issuedTokens, [first.outs.token]);
    });

    it("mints a new token once the clientToken is changed", async () => {
      const first = await provider.create(await checked({ clientToken: PINNED }));
      standIn.clock = () => Date.now() + 660_000;
      localNow = () => Date.now() + 660_000;

      const renewed = await provider.create(await checked({ clientToken: `${PINNED}-2` }));

      assert.notEqual(renewed.outs.token, first.outs.token);
      assert.deepEqual(standIn.issuedTokens, [first.outs.token, renewed.outs.token]);
    });
  });

  describe("calls per lifecycle step", () => {
    it("makes exactly one GetManagedEndpointSessionCredentials send per create, each with its own clientToken", async () => {
      const inputs = await checked();

      await provider.create(inputs);
      assert.equal(standIn.requests.length, 1);
      await provider.create(inputs);
      assert.equal(standIn.requests.length, 2);

      assert.ok(standIn.requests.every((r) => r.operation === "GetManagedEndpointSessionCredentials"));
      const [first, second] = standIn.requests;
      assert.notEqual(first?.body?.clientToken, second?.body?.clientToken);
      assert.notEqual(first?.headers["amz-sdk-invocation-id"], second?.headers["amz-sdk-invocation-id"]);
      assert.equal(standIn.issuedTokens.length, 2);
    });

    it("makes no request at all for diff, update, read and delete", async () => {
      const inputs = await checked();
      const { id, outs } = await provider.create(inputs);
      assert.equal(standIn.requests.length, 1);

      const changed = await checked({ renewBeforeSeconds: 120, maxAttempts: 5 });
      const diff = await provider.diff(id, outs, changed);
      const updated = await provider.update(id, outs, changed);
      const read = await provider.read(id, updated.outs);
      await provider.delete();

      assert.equal(standIn.requests.length, 1);
      assert.deepEqual(diff.replaces, []);
      assert.equal(updated.outs.token, outs.token);
      assert.equal(read.props?.token, outs.token);
    });
  });
});
