import { randomBytes, randomUUID } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import {
  type SessionCredentialsParams,
  validateDescribeEndpointRequest,
  validateSessionCredentialsRequest,
} from "./emr-service-validation";

/** Lifecycle states of a managed endpoint, as DescribeManagedEndpoint reports them. */
export type EndpointState = "CREATING" | "ACTIVE" | "TERMINATING" | "TERMINATED" | "TERMINATED_WITH_ERRORS";

/** A managed endpoint to make known to the stand-in. Only the two IDs are required. */
export interface EndpointRegistration {
  /** Virtual cluster ID, `[0-9a-z]{1,64}`. */
  virtualClusterId: string;
  /** Endpoint ID, `[0-9a-z]{1,64}`. */
  id: string;
  /** Default "ACTIVE". */
  state?: EndpointState;
  /** Jupyter Enterprise Gateway URL; default `https://<id>.jeg.stand-in.invalid:18888`. */
  serverUrl?: string;
  /** Used in the ARNs; default "us-west-2". */
  region?: string;
  /** Used in the ARNs; default "123456789012". */
  accountId?: string;
  /** Default `endpoint-<id>`. */
  name?: string;
  /** Default `arn:aws:iam::<accountId>:role/emr-stand-in-execution-role`. */
  executionRoleArn?: string;
  /** Default: the service clock at registration. */
  createdAt?: Date;
}

/** The identifiers of a registered endpoint, in both the ID and the ARN form. */
export interface RegisteredEndpoint {
  virtualClusterId: string;
  endpointId: string;
  /** `arn:aws:emr-containers:<region>:<account>:/virtualclusters/<vc>` */
  virtualClusterArn: string;
  /** `arn:aws:emr-containers:<region>:<account>:/virtualclusters/<vc>/endpoints/<id>` */
  endpointArn: string;
}

/**
 * A response to return instead of the real answer. `errorType` is sent verbatim
 * as `x-amzn-ErrorType`, so it may carry AWS's `:http://...` suffix; the body is
 * `{"message": message}`. `{ dropConnection: true }` destroys the socket without
 * answering, as a network failure would. `{ loseResponse: true }` handles the request
 * as usual (a token is minted and its clientToken remembered) and then destroys the
 * socket instead of answering: a response lost on its way back. `{ neverAnswer: true }`
 * keeps the connection open without a word until `reset()` or `close()`.
 */
export type ScriptedFailure =
  | { status: number; errorType: string; message?: string }
  | { dropConnection: true }
  | { loseResponse: true }
  | { neverAnswer: true };

/**
 * How fast the stand-in answers, as AWS throttles every API per account and region: a token bucket
 * that holds at most `burst` requests and refills at `perSecond`. A request that finds it empty is
 * answered 400 RequestThrottledException, as the service does.
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Requests the stand-in holds unanswered until they are released; see `EmrServiceStandIn.hold`. */
export interface HeldRequests {
  /** Resolves once `count` requests (default 1) have arrived and are being held. */
  arrived(count?: number): Promise<void>;
  /** Answers every request held, as usual, and holds no more. */
  release(): void;
}

/** The operations the stand-in recognises by method and path. */
export type StandInOperation = "GetManagedEndpointSessionCredentials" | "DescribeManagedEndpoint" | "unknown";

/** One request as the stand-in received and answered it. */
export interface RecordedRequest {
  operation: StandInOperation;
  method: string;
  /** The raw path, as sent (labels still percent-encoded). */
  path: string;
  /** Decoded first path label (DescribeManagedEndpoint: `virtualClusterId`); undefined on unknown routes. */
  virtualClusterIdentifier: string | undefined;
  /** Decoded second path label (DescribeManagedEndpoint: `id`); undefined on unknown routes. */
  endpointIdentifier: string | undefined;
  headers: IncomingHttpHeaders;
  /** The body, when it was a JSON object. */
  body?: Record<string, unknown>;
  /** The HTTP status answered; 0 when no answer reached the client (dropped, lost, never answered). */
  status: number;
  /** The `x-amzn-requestid` answered (or that would have been, for a dropped connection). */
  requestId: string;
}

interface Reply {
  status: number;
  /** Sent as `x-amzn-ErrorType` when set. */
  errorType?: string;
  body: string;
}

interface StoredEndpoint extends RegisteredEndpoint {
  registration: Required<EndpointRegistration>;
  certificateArn: string;
}

/** The answer past the rate limit, as the service words it (the error type carries AWS's `:http://...` suffix). */
export const RATE_EXCEEDED = {
  status: 400,
  errorType: "RequestThrottledException:http://internal.amazon.com/coral/com.amazonaws.emrcontainers/",
  message: "Rate exceeded",
} as const;

const ROUTE = /^\/virtualclusters\/([^/]+)\/endpoints\/([^/]+)(\/credentials)?$/;
const CERTIFICATE_PEM = "-----BEGIN CERTIFICATE-----\nZW1yLXNlcnZpY2Utc3RhbmQtaW4=\n-----END CERTIFICATE-----\n";

/**
 * A local HTTP stand-in of the EMR containers service (rest-json, SigV4) for
 * GetManagedEndpointSessionCredentials and DescribeManagedEndpoint, for use
 * with the real `@aws-sdk/client-emr-containers` client (`endpoint: standIn.endpoint`).
 *
 * It checks that requests carry a SigV4 `authorization` for `emr-containers`
 * (403 otherwise) but does not verify signatures. While no endpoint is
 * registered, credentials are granted for any endpoint; once one is, unknown
 * endpoints get 400 ResourceNotFoundException.
 */
export class EmrServiceStandIn {
  /** Base URL of the server, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The service clock in ms since the epoch: drives `Date` headers and `expiresAt`. Settable at any time. */
  clock: () => number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every distinct session token minted, in order (idempotent replays add none). */
  readonly issuedTokens: string[] = [];
  /**
   * The longest life granted, in seconds, whatever `durationInSeconds` asked for, as the real
   * service may grant less than asked; `undefined` (the default) grants what was asked.
   */
  grantLimitSeconds: number | undefined;

  private readonly failures: ScriptedFailure[] = [];
  private readonly endpoints = new Map<string, StoredEndpoint>();
  private readonly byClientToken = new Map<string, { fingerprint: string; body: string }>();
  private readonly unanswered = new Set<ServerResponse>();
  private bucket: (RateLimit & { tokens: number; refilledAt: number }) | undefined;
  /** While set, each request waits for it before it is answered (see `hold`). */
  private gate: (() => Promise<void>) | undefined;

  private constructor(
    private readonly server: Server,
    private readonly initialClock: () => number,
  ) {
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.clock = initialClock;
  }

  /**
   * Starts a stand-in on loopback, on `port` (default: a free one). `clock` defaults to `Date.now`.
   * With `rateLimit`, it throttles past that rate (see `throttle`).
   */
  static async start(
    options: { clock?: () => number; port?: number; rateLimit?: RateLimit } = {},
  ): Promise<EmrServiceStandIn> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const standIn = new EmrServiceStandIn(server, options.clock ?? Date.now);
    standIn.throttle(options.rateLimit);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      standIn.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    return standIn;
  }

  /** Stops listening and closes every open connection, keep-alive ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** An endpoint's full record, with defaults for what `e` leaves out. */
  private storedEndpoint(e: EndpointRegistration): StoredEndpoint {
    const region = e.region ?? "us-west-2";
    const accountId = e.accountId ?? "123456789012";
    const registration: Required<EndpointRegistration> = {
      virtualClusterId: e.virtualClusterId,
      id: e.id,
      state: e.state ?? "ACTIVE",
      serverUrl: e.serverUrl ?? `https://${e.id}.jeg.stand-in.invalid:18888`,
      region,
      accountId,
      name: e.name ?? `endpoint-${e.id}`,
      executionRoleArn: e.executionRoleArn ?? `arn:aws:iam::${accountId}:role/emr-stand-in-execution-role`,
      createdAt: e.createdAt ?? new Date(this.clock()),
    };
    const virtualClusterArn = `arn:aws:emr-containers:${region}:${accountId}:/virtualclusters/${e.virtualClusterId}`;
    return {
      virtualClusterId: e.virtualClusterId,
      endpointId: e.id,
      virtualClusterArn,
      endpointArn: `${virtualClusterArn}/endpoints/${e.id}`,
      registration,
      certificateArn: `arn:aws:acm:${region}:${accountId}:certificate/${randomUUID()}`,
    };
  }

  /**
   * Registers (or replaces, for the same pair of IDs) a managed endpoint, which
   * DescribeManagedEndpoint then reports and the credentials call then requires.
   */
  registerEndpoint(e: EndpointRegistration): RegisteredEndpoint {
    const stored = this.storedEndpoint(e);
    this.endpoints.set(`${e.virtualClusterId}/${e.id}`, stored);
    const { registration: _r, certificateArn: _c, ...ids } = stored;
    return ids;
  }

  /**
   * From now on, answers at most `limit.perSecond` requests a second with bursts of `limit.burst`
   * (the bucket starts full), and RequestThrottledException (HTTP 400) past it, on real time
   * whatever `clock` says; `undefined` answers every request. Scripted failures come first and
   * take no token.
   */
  throttle(limit: RateLimit | undefined): void {
    this.bucket = limit === undefined ? undefined : { ...limit, tokens: limit.burst, refilledAt: performance.now() };
  }

  /** Takes a token from the bucket if one is there (always true when not throttling). */
  private admitted(): boolean {
    const bucket = this.bucket;
    if (bucket === undefined) return true;
    const now = performance.now();
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.perSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /**
   * From now on, holds every request unanswered (recorded, nothing minted yet) until `release()`,
   * so that a test knows an update is in the middle of a mint, holding its stack's lock, for as
   * long as it needs; then answers them as usual.
   */
  hold(): HeldRequests {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    const waiting: { count: number; resolve: () => void }[] = [];
    this.gate = async () => {
      held++;
      for (const waiter of waiting.filter((w) => held >= w.count)) waiter.resolve();
      await released;
    };
    return {
      arrived: (count = 1) =>
        held >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve })),
      release: () => {
        this.gate = undefined;
        release();
      },
    };
  }

  /** Queues responses that replace the answers to the next requests, one each, whatever the operation. */
  failNext(...failures: ScriptedFailure[]): void {
    this.failures.push(...failures);
  }

  /**
   * Clears recordings, queued failures, registered endpoints, idempotency records, the grant
   * limit and the rate limit; restores the start clock; closes the connections of requests it
   * never answered.
   */
  reset(): void {
    this.bucket = undefined;
    for (const res of this.unanswered) res.socket?.destroy();
    this.unanswered.clear();
    this.grantLimitSeconds = undefined;
    this.requests.length = 0;
    this.issuedTokens.length = 0;
    this.failures.length = 0;
    this.endpoints.clear();
    this.byClientToken.clear();
    this.clock = this.initialClock;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    const match = ROUTE.exec(path.split("?")[0] ?? "");
    const operation: StandInOperation =
      match === null
        ? "unknown"
        : match[3] !== undefined && req.method === "POST"
          ? "GetManagedEndpointSessionCredentials"
          : match[3] === undefined && req.method === "GET"
            ? "DescribeManagedEndpoint"
            : "unknown";
    const record: RecordedRequest = {
      operation,
      method: req.method ?? "",
      path,
      virtualClusterIdentifier: match?.[1] === undefined ? undefined : decodeLabel(match[1]),
      endpointIdentifier: match?.[2] === undefined ? undefined : decodeLabel(match[2]),
      headers: { ...req.headers },
      ...withBody(parseJson(rawBody)),
      status: 0,
      requestId: randomUUID(),
    };
    this.requests.push(record);
    await this.gate?.();

    const failure = this.failures.shift();
    if (failure !== undefined && "dropConnection" in failure) {
      req.socket.destroy();
      return;
    }
    if (failure !== undefined && "neverAnswer" in failure) {
      this.unanswered.add(res);
      res.once("close", () => this.unanswered.delete(res));
      return;
    }
    const reply =
      failure !== undefined && "status" in failure
        ? errorReply(failure.status, failure.errorType, failure.message ?? `Scripted ${failure.errorType}`)
        : this.admitted()
          ? this.answer(record, rawBody)
          : errorReply(400, RATE_EXCEEDED.errorType, RATE_EXCEEDED.message);
    if (failure !== undefined && "loseResponse" in failure) {
      req.socket.destroy();
      return;
    }
    record.status = reply.status;
    res.writeHead(reply.status, {
      "Content-Type": "application/json",
      Date: new Date(this.clock()).toUTCString(),
      "x-amzn-requestid": record.requestId,
      ...(reply.errorType === undefined ? {} : { "x-amzn-ErrorType": reply.errorType }),
    });
    res.end(reply.body);
  }

  private answer(request: RecordedRequest, rawBody: string): Reply {
    const refusal = checkSigV4(request.headers);
    if (refusal !== undefined) return refusal;
    const labels = {
      virtualClusterIdentifier: request.virtualClusterIdentifier ?? "",
      endpointIdentifier: request.endpointIdentifier ?? "",
    };
    if (request.operation === "DescribeManagedEndpoint") {
      const checked = validateDescribeEndpointRequest(labels);
      if (!checked.ok) return errorReply(400, "ValidationException", checked.message);
      // Like credentials, any endpoint is ACTIVE while none is registered.
      const found =
        this.findEndpoint(labels.virtualClusterIdentifier, labels.endpointIdentifier) ??
        (this.endpoints.size === 0
          ? this.storedEndpoint({ virtualClusterId: labels.virtualClusterIdentifier, id: labels.endpointIdentifier })
          : undefined);
      if (found === undefined) return notFound(labels.virtualClusterIdentifier, labels.endpointIdentifier);
      return { status: 200, body: JSON.stringify({ endpoint: describe(found) }) };
    }
    if (request.operation === "GetManagedEndpointSessionCredentials") {
      const checked = validateSessionCredentialsRequest(labels, rawBody === "" ? {} : parseJson(rawBody));
      if (!checked.ok) return errorReply(400, "ValidationException", checked.message);
      return this.grant(checked.value);
    }
    return errorReply(404, "UnknownOperationException", `No operation at ${request.method} ${request.path}`);
  }

  private grant(params: SessionCredentialsParams): Reply {
    const { virtualClusterIdentifier: vc, endpointIdentifier: ep, clientToken } = params;
    if (this.endpoints.size > 0 && this.findEndpoint(vc, ep) === undefined) return notFound(vc, ep);
    const { clientToken: _t, ...rest } = params;
    const fingerprint = JSON.stringify(rest);
    const earlier = clientToken === undefined ? undefined : this.byClientToken.get(clientToken);
    if (earlier !== undefined) {
      if (earlier.fingerprint === fingerprint) return { status: 200, body: earlier.body };
      return errorReply(
        400,
        "ValidationException",
        `The clientToken ${clientToken} was already used with different parameters; use a new clientToken for a different request.`,
      );
    }
    const token = `emrsess-${randomBytes(20).toString("hex")}`;
    this.issuedTokens.push(token);
    const granted = Math.min(params.durationInSeconds, this.grantLimitSeconds ?? Infinity);
    const expiresAtSeconds = Math.floor(this.clock() / 1000) + granted;
    const body = JSON.stringify({
      id: randomBytes(10).toString("hex"),
      credentials: { token },
      expiresAt: rfc3339Seconds(new Date(expiresAtSeconds * 1000)),
    });
    if (clientToken !== undefined) this.byClientToken.set(clientToken, { fingerprint, body });
    return { status: 200, body };
  }

  /** Finds an endpoint by IDs, each given as an ID or as an ARN ending in that ID. */
  private findEndpoint(virtualCluster: string, endpoint: string): StoredEndpoint | undefined {
    return this.endpoints.get(`${trailingId(virtualCluster)}/${trailingId(endpoint)}`);
  }
}

function checkSigV4(headers: IncomingHttpHeaders): Reply | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined) {
    return errorReply(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const signed =
    authorization.startsWith("AWS4-HMAC-SHA256 Credential=") &&
    /Credential=[^,\s]*\/emr-containers\/aws4_request/.test(authorization) &&
    typeof headers["x-amz-date"] === "string";
  if (!signed) {
    return errorReply(
      403,
      "UnrecognizedClientException",
      "The request must be signed with AWS Signature Version 4 for the emr-containers service, with an x-amz-date header.",
    );
  }
  return undefined;
}

function describe(found: StoredEndpoint): Record<string, unknown> {
  const r = found.registration;
  return {
    id: r.id,
    name: r.name,
    arn: found.endpointArn,
    virtualClusterId: r.virtualClusterId,
    type: "JUPYTER_ENTERPRISE_GATEWAY",
    state: r.state,
    releaseLabel: "emr-7.1.0-latest",
    executionRoleArn: r.executionRoleArn,
    serverUrl: r.serverUrl,
    certificateArn: found.certificateArn,
    certificateAuthority: {
      certificateArn: found.certificateArn,
      certificateData: Buffer.from(CERTIFICATE_PEM).toString("base64"),
    },
    createdAt: rfc3339Seconds(r.createdAt),
  };
}

function notFound(virtualCluster: string, endpoint: string): Reply {
  return errorReply(
    400,
    "ResourceNotFoundException",
    `Managed endpoint ${endpoint} does not exist in virtual cluster ${virtualCluster}.`,
  );
}

function errorReply(status: number, errorType: string, message: string): Reply {
  return { status, errorType, body: JSON.stringify({ message }) };
}

/** `2026-01-01T00:00:00Z`: RFC 3339, second precision, UTC. */
function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function trailingId(identifier: string): string {
  return identifier.startsWith("arn:") ? identifier.slice(identifier.lastIndexOf("/") + 1) : identifier;
}

function decodeLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function withBody(parsed: unknown): { body?: Record<string, unknown> } {
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? { body: parsed as Record<string, unknown> }
    : {};
}
