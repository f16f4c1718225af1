import { strict as assert } from "node:assert";
import {
  DescribeManagedEndpointCommand,
  EMRContainersClient,
  type EMRContainersClientConfig,
  GetManagedEndpointSessionCredentialsCommand,
  type GetManagedEndpointSessionCredentialsCommandInput,
} from "@aws-sdk/client-emr-containers";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ConfiguredRetryStrategy } from "@smithy/util-retry";
import { EmrServiceStandIn, type RegisteredEndpoint } from "./support/emr-service-stand-in";

const ROLE_ARN = "arn:aws:iam::123456789012:role/emr-notebook-execution";
const TOKEN_PATTERN = /^emrsess-[0-9a-f]{40}$/;

/** The real SDK client aimed at the stand-in; retries (up to 3 attempts) wait 0 ms. */
function clientFor(standIn: EmrServiceStandIn, config: Partial<EMRContainersClientConfig> = {}): EMRContainersClient {
  return new EMRContainersClient({
    endpoint: standIn.endpoint,
    region: "us-west-2",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    ...config,
  });
}

/** Sends the command and returns what it rejected with; fails the test if it resolved. */
async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: Record<string, unknown> };
  }
  assert.fail("expected the call to be rejected");
}

describe("EmrServiceStandIn driven by the real EMRContainersClient", () => {
  let standIn: EmrServiceStandIn;
  let client: EMRContainersClient;
  let notebook: RegisteredEndpoint;

  function credentialsFor(
    extra: Partial<GetManagedEndpointSessionCredentialsCommandInput> = {},
  ): GetManagedEndpointSessionCredentialsCommand {
    return new GetManagedEndpointSessionCredentialsCommand({
      virtualClusterIdentifier: notebook.virtualClusterId,
      endpointIdentifier: notebook.endpointId,
      executionRoleArn: ROLE_ARN,
      credentialType: "TOKEN",
      ...extra,
    });
  }

  before(async () => {
    standIn = await EmrServiceStandIn.start();
  });

  after(async () => {
    await standIn.close();
  });

  beforeEach(() => {
    standIn.reset();
    notebook = standIn.registerEndpoint({ virtualClusterId: "vc0123456789abcdef", id: "ep0123456789abcdef" });
    client = clientFor(standIn);
  });

  afterEach(() => {
    client.destroy();
  });

  it("receives ARNs percent-encoded in the path and records them decoded", async () => {
    const output = await client.send(
      credentialsFor({
        virtualClusterIdentifier: notebook.virtualClusterArn,
        endpointIdentifier: notebook.endpointArn,
      }),
    );

    const [request] = standIn.requests;
    assert.equal(request?.operation, "GetManagedEndpointSessionCredentials");
    assert.equal(
      request.path,
      `/virtualclusters/${encodeURIComponent(notebook.virtualClusterArn)}/endpoints/${encodeURIComponent(notebook.endpointArn)}/credentials`,
    );
    assert.match(request.path, /arn%3Aaws%3Aemr-containers%3Aus-west-2%3A123456789012%3A%2Fvirtualclusters%2F/);
    assert.equal(request.virtualClusterIdentifier, notebook.virtualClusterArn);
    assert.equal(request.endpointIdentifier, notebook.endpointArn);
    assert.match(output.credentials?.token ?? "", TOKEN_PATTERN);
    assert.match(output.id ?? "", /^[0-9a-z]{1,64}$/);
    assert.ok(output.expiresAt instanceof Date);
    assert.deepEqual(standIn.issuedTokens, [output.credentials?.token]);
  });

  it("sees a SigV4 signature for emr-containers on every SDK request", async () => {
    await client.send(credentialsFor());

    const headers = standIn.requests[0]?.headers ?? {};
    assert.match(
      headers.authorization ?? "",
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/emr-containers\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/,
    );
    assert.match(String(headers["x-amz-date"]), /^\d{8}T\d{6}Z$/);
  });

  it("refuses an unsigned request with 403 MissingAuthenticationTokenException", async () => {
    const response = await fetch(
      `${standIn.endpoint}/virtualclusters/vc0123456789abcdef/endpoints/ep0123456789abcdef/credentials`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ executionRoleArn: ROLE_ARN, credentialType: "TOKEN" }),
      },
    );

    assert.equal(response.status, 403);
    assert.equal(response.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
    assert.match(response.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(standIn.issuedTokens, []);
  });

  it("refuses a request signed for another service with 403 UnrecognizedClientException", async () => {
    const response = await fetch(
      `${standIn.endpoint}/virtualclusters/vc0123456789abcdef/endpoints/ep0123456789abcdef`,
      {
        headers: {
          authorization:
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=00",
          "x-amz-date": "20260101T000000Z",
        },
      },
    );

    assert.equal(response.status, 403);
    assert.equal(response.headers.get("x-amzn-errortype"), "UnrecognizedClientException");
  });

  it("retries a 400 throttle and a 500 with the same clientToken, minting exactly one token", async () => {
    standIn.failNext(
      {
        status: 400,
        errorType: "RequestThrottledException:http://internal.amazon.com/coral/com.amazonaws.emrcontainers/",
        message: "Rate exceeded",
      },
      { status: 500, errorType: "InternalServerException", message: "Internal failure" },
    );

    const output = await client.send(credentialsFor());

    assert.deepEqual(
      standIn.requests.map((r) => r.status),
      [400, 500, 200],
    );
    const clientTokens = standIn.requests.map((r) => r.body?.clientToken);
    assert.match(String(clientTokens[0]), /^[0-9a-f-]{36}$/, "the SDK fills in a UUID clientToken");
    assert.deepEqual(clientTokens, [clientTokens[0], clientTokens[0], clientTokens[0]]);
    assert.deepEqual(standIn.issuedTokens, [output.credentials?.token]);
    assert.equal(output.$metadata.attempts, 3);
    assert.equal(output.$metadata.requestId, standIn.requests[2]?.requestId);
  });

  it("retries a dropped connection with the same clientToken", async () => {
    standIn.failNext({ dropConnection: true });

    await client.send(credentialsFor());

    assert.deepEqual(
      standIn.requests.map((r) => r.status),
      [0, 200],
    );
    assert.equal(standIn.requests[0]?.body?.clientToken, standIn.requests[1]?.body?.clientToken);
    assert.equal(standIn.issuedTokens.length, 1);
  });

  it("mints before losing the response, and replays that token to the retry with the same clientToken", async () => {
    standIn.failNext({ loseResponse: true });

    const output = await client.send(credentialsFor());

    assert.deepEqual(
      standIn.requests.map((r) => r.status),
      [0, 200],
    );
    assert.equal(standIn.requests[0]?.body?.clientToken, standIn.requests[1]?.body?.clientToken);
    assert.deepEqual(standIn.issuedTokens, [output.credentials?.token]);
  });

  it("keeps a neverAnswer request waiting until the client gives up", async () => {
    const impatient = clientFor(standIn, {
      retryStrategy: new ConfiguredRetryStrategy(1),
      requestHandler: new NodeHttpHandler({ requestTimeout: 200 }),
    });
    standIn.failNext({ neverAnswer: true });

    const error = await rejection(impatient.send(credentialsFor()));
    impatient.destroy();

    assert.equal(error.name, "TimeoutError");
    assert.deepEqual(
      standIn.requests.map((r) => r.status),
      [0],
    );
    assert.equal(standIn.issuedTokens.length, 0);
  });

  it("grants no more than grantLimitSeconds, whatever was asked", async () => {
    standIn.grantLimitSeconds = 18;
    const serviceNow = Date.UTC(2030, 0, 1);
    standIn.clock = () => serviceNow;

    const output = await client.send(credentialsFor({ durationInSeconds: 3600 }));

    assert.equal(output.expiresAt?.toISOString(), "2030-01-01T00:00:18.000Z");
  });

  it("throttles past its rate limit: a full bucket of `burst`, then 400 RequestThrottledException until it refills at `perSecond`", async () => {
    standIn.throttle({ perSecond: 1, burst: 3 });
    const once = clientFor(standIn, { retryStrategy: new ConfiguredRetryStrategy(1) });
    const statuses = async (count: number) =>
      Promise.all(
        Array.from({ length: count }, () =>
          once.send(credentialsFor()).then(
            () => 200,
            (error: Error & { $metadata: { httpStatusCode: number } }) =>
              `${error.$metadata.httpStatusCode} ${error.name}`,
          ),
        ),
      );
    try {
      const throttled = "400 RequestThrottledException";
      assert.deepEqual((await statuses(5)).sort(), [200, 200, 200, throttled, throttled]);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.deepEqual((await statuses(2)).sort(), [200, throttled], "one token back after 1.1 s at 1 a second");
      assert.equal(standIn.issuedTokens.length, 4);
    } finally {
      once.destroy();
    }
  });

  it("does not retry a ValidationException and reports its name, request id and status", async () => {
    const error = await rejection(client.send(credentialsFor({ durationInSeconds: 43_201 })));

    assert.equal(error.name, "ValidationException");
    assert.match(error.message, /^1 validation error detected: Value 43201 at 'durationInSeconds'/);
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.$metadata.requestId, standIn.requests[0]?.requestId);
    assert.equal(error.$metadata.attempts, 1);
    assert.equal(standIn.requests.length, 1);
  });

  it("does not retry a ResourceNotFoundException for an unregistered endpoint", async () => {
    const error = await rejection(client.send(credentialsFor({ endpointIdentifier: "epmissing" })));

    assert.equal(error.name, "ResourceNotFoundException");
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.$metadata.requestId, standIn.requests[0]?.requestId);
    assert.equal(standIn.requests.length, 1);
  });

  it("surfaces a scripted unmodelled error as an exception named after its code", async () => {
    standIn.failNext({ status: 403, errorType: "AccessDeniedException", message: "not authorized" });

    const error = await rejection(client.send(credentialsFor()));

    assert.equal(error.name, "AccessDeniedException");
    assert.equal(error.message, "not authorized");
    assert.equal(error.$metadata.httpStatusCode, 403);
  });

  it("applies the model's constraints to every input", async () => {
    const invalid: Array<[string, Partial<GetManagedEndpointSessionCredentialsCommandInput>]> = [
      ["executionRoleArn", { executionRoleArn: "arn:aws:iam::123456789012:user/someone" }],
      ["credentialType", { credentialType: "PASSWORD" }],
      ["durationInSeconds", { durationInSeconds: 0 }],
      ["logContext", { logContext: "Not_Valid" }],
      ["logContext", { logContext: "ab" }],
      ["clientToken", { clientToken: "x".repeat(65) }],
      ["endpointIdentifier", { endpointIdentifier: " " }],
    ];
    for (const [member, input] of invalid) {
      const error = await rejection(client.send(credentialsFor(input)));
      assert.equal(error.name, "ValidationException", member);
      assert.match(error.message, new RegExp(`at '${member}'`), member);
    }

    const longest = await client.send(credentialsFor({ durationInSeconds: 43_200, logContext: "notebook-1.a" }));
    assert.match(longest.credentials?.token ?? "", TOKEN_PATTERN);
  });

  it("returns the very same credentials for a repeated clientToken", async () => {
    const first = await client.send(credentialsFor({ clientToken: "pulumi-urn-1" }));
    standIn.clock = () => Date.now() + 60_000;
    const second = await client.send(credentialsFor({ clientToken: "pulumi-urn-1" }));

    assert.equal(second.id, first.id);
    assert.equal(second.credentials?.token, first.credentials?.token);
    assert.equal(second.expiresAt?.getTime(), first.expiresAt?.getTime());
    assert.equal(standIn.issuedTokens.length, 1);
  });

  it("refuses a repeated clientToken with different parameters", async () => {
    await client.send(credentialsFor({ clientToken: "pulumi-urn-2" }));

    const error = await rejection(
      client.send(credentialsFor({ clientToken: "pulumi-urn-2", durationInSeconds: 3600 })),
    );

    assert.equal(error.name, "ValidationException");
    assert.match(error.message, /already used with different parameters/);
    assert.equal(standIn.issuedTokens.length, 1);
  });

  it("mints a new token for each send() without a clientToken", async () => {
    const first = await client.send(credentialsFor());
    const second = await client.send(credentialsFor());

    assert.notEqual(second.credentials?.token, first.credentials?.token);
    assert.notEqual(standIn.requests[0]?.body?.clientToken, standIn.requests[1]?.body?.clientToken);
    assert.deepEqual(standIn.issuedTokens, [first.credentials?.token, second.credentials?.token]);
  });

  it("sets expiresAt and the Date header from the skewed service clock", async () => {
    const serviceNow = Date.UTC(2030, 0, 1, 0, 0, 0, 750);
    standIn.clock = () => serviceNow;
    let dateHeader: string | undefined;
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        dateHeader = (result.response as { headers: Record<string, string> }).headers.date;
        return result;
      },
      { step: "deserialize", name: "captureDateHeader" },
    );

    const output = await client.send(credentialsFor({ durationInSeconds: 3600 }));

    assert.equal(output.expiresAt?.toISOString(), "2030-01-01T01:00:00.000Z");
    assert.equal(dateHeader, "Tue, 01 Jan 2030 00:00:00 GMT");
    const offset = client.config.systemClockOffset ?? 0;
    assert.ok(Math.abs(offset - (serviceNow - Date.now())) < 5_000, "the SDK corrects its clock from the Date header");
  });

  it("describes a registered endpoint, reporting its serverUrl and state", async () => {
    standIn.registerEndpoint({
      virtualClusterId: notebook.virtualClusterId,
      id: notebook.endpointId,
      state: "CREATING",
      serverUrl: "https://jeg.example.invalid:18888",
    });
    const creating = await client.send(
      new DescribeManagedEndpointCommand({ virtualClusterId: notebook.virtualClusterId, id: notebook.endpointId }),
    );
    standIn.registerEndpoint({ virtualClusterId: notebook.virtualClusterId, id: notebook.endpointId, state: "ACTIVE" });
    const active = await client.send(
      new DescribeManagedEndpointCommand({ virtualClusterId: notebook.virtualClusterId, id: notebook.endpointId }),
    );

    assert.equal(creating.endpoint?.state, "CREATING");
    assert.equal(creating.endpoint?.serverUrl, "https://jeg.example.invalid:18888");
    assert.equal(creating.endpoint?.arn, notebook.endpointArn);
    assert.equal(creating.endpoint?.type, "JUPYTER_ENTERPRISE_GATEWAY");
    assert.ok(creating.endpoint?.createdAt instanceof Date);
    assert.match(creating.endpoint?.certificateAuthority?.certificateData ?? "", /^[A-Za-z0-9+/]+=*$/);
    assert.equal(active.endpoint?.state, "ACTIVE");
    assert.equal(standIn.requests[0]?.operation, "DescribeManagedEndpoint");
  });

  it("refuses to describe an unknown endpoint, or one named by ARN", async () => {
    const unknown = await rejection(
      client.send(new DescribeManagedEndpointCommand({ virtualClusterId: notebook.virtualClusterId, id: "epmissing" })),
    );
    const byArn = await rejection(
      client.send(
        new DescribeManagedEndpointCommand({ virtualClusterId: notebook.virtualClusterId, id: notebook.endpointArn }),
      ),
    );

    assert.equal(unknown.name, "ResourceNotFoundException");
    assert.equal(byArn.name, "ValidationException");
    assert.equal(standIn.requests.length, 2);
  });

  it("grants credentials for any endpoint while none is registered", async () => {
    standIn.reset();

    const output = await client.send(credentialsFor({ endpointIdentifier: "anyendpoint" }));

    assert.match(output.credentials?.token ?? "", TOKEN_PATTERN);
  });
});
