/**
 * `deliverTo` on the wire: the provider with the REAL AWS SDK clients, minting at the local EMR
 * stand-in and delivering to moto's server (an independent emulator of SSM and Secrets Manager),
 * which the SDK reaches through `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL_SECRETS_MANAGER`, as
 * every AWS tool is pointed elsewhere. What moto holds is read back with the real SDK.
 */
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
} from "@aws-sdk/client-secrets-manager";
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { forgetServiceClients } from "../../../provider/aws/client";
import { SessionCredentialsProvider } from "../../../provider/lifecycle/session-credentials-provider";
import { validInputs } from "../../fixtures/session-inputs";
import { EmrServiceStandIn } from "../../support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "../../support/local-stack";
import { motoServerForSuite } from "../../support/moto-server";

const PARAMETER_NAME = "/emr/notebooks/session-token";
const SECRET_NAME = "emr/notebook-gateway";

/** The body of a request, read to its end. */
async function bodyOf(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A proxy in front of `target` that forwards every request, but answers the first PutSecretValue
 * with a 500 after moto has done it: a response lost on the way back. Records the bodies of the
 * PutSecretValue requests it forwarded.
 */
async function losingFirstPut(target: string): Promise<{ url: string; puts: string[]; close(): Promise<void> }> {
  const puts: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void bodyOf(incoming).then((body) => {
      const isPut = String(incoming.headers["x-amz-target"]).endsWith(".PutSecretValue");
      if (isPut) puts.push(body.toString());
      const forwarded = request(
        `${target}${incoming.url ?? "/"}`,
        { method: incoming.method, headers: incoming.headers },
        (answer) => {
          void bodyOf(answer).then((answerBody) => {
            if (isPut && puts.length === 1) {
              outgoing.writeHead(500, { "content-type": "application/x-amz-json-1.1" });
              outgoing.end(JSON.stringify({ __type: "InternalServiceError", message: "the answer was lost" }));
              return;
            }
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            outgoing.end(answerBody);
          });
        },
      );
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    puts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("deliverTo on the wire (real AWS SDK clients, EMR stand-in, moto)", function () {
  this.timeout(60_000);
  const moto = motoServerForSuite();
  let standIn: EmrServiceStandIn;
  let saved: NodeJS.ProcessEnv;
  const reported: string[] = [];
  const provider = new SessionCredentialsProvider(Date.now, (line) => reported.push(line));
  const ssm = () => moto().ssm;
  const secrets = () => moto().secretsManager;

  before(async () => {
    standIn = await EmrServiceStandIn.start();
    saved = { ...process.env };
    Object.assign(process.env, OFFLINE_AWS_ENV, moto().env);
    forgetServiceClients();
  });
  after(async () => {
    process.env = saved;
    forgetServiceClients();
    await standIn?.close();
  });
  beforeEach(async () => {
    await moto().reset();
    standIn.reset();
    reported.length = 0;
  });

  async function checked(deliverTo: unknown): Promise<Record<string, unknown>> {
    const news = validInputs({ resourceName: "notebook-creds", endpoint: standIn.endpoint, deliverTo });
    const { inputs, failures } = await provider.check({}, news);
    assert.deepEqual(failures, []);
    return inputs;
  }

  const parameterValue = async () =>
    (await ssm().send(new GetParameterCommand({ Name: PARAMETER_NAME, WithDecryption: true }))).Parameter;
  const currentSecret = async () =>
    secrets().send(new GetSecretValueCommand({ SecretId: SECRET_NAME, VersionStage: "AWSCURRENT" }));

  describe("to an SSM parameter", () => {
    const deliverTo = { ssmParameter: { name: PARAMETER_NAME } };

    it("writes each minted token as a new SecureString version, and neither outputs nor the EMR stand-in see SSM", async () => {
      const first = await provider.create(await checked(deliverTo));
      assert.equal(first.outs.deliveredVersion, "1");
      assert.equal("token" in first.outs, false);
      const stored = await parameterValue();
      assert.equal(stored?.Type, "SecureString");
      assert.equal(stored?.Value, standIn.issuedTokens[0]);

      const second = await provider.create(await checked(deliverTo));
      assert.equal(second.outs.deliveredVersion, "2");
      assert.equal((await parameterValue())?.Value, standIn.issuedTokens[1]);
      assert.deepEqual(
        standIn.requests.map((r) => r.operation),
        ["GetManagedEndpointSessionCredentials", "GetManagedEndpointSessionCredentials"],
        "the EMR `endpoint` input is not where SSM calls go",
      );
      for (const token of standIn.issuedTokens) assert.ok(!JSON.stringify([first, second]).includes(token));
    });

    it("encrypts with the given KMS key (moto shows it in the undecrypted value)", async () => {
      await provider.create(await checked({ ssmParameter: { name: PARAMETER_NAME, kmsKeyId: "alias/emr-tokens" } }));
      const raw = await ssm().send(new GetParameterCommand({ Name: PARAMETER_NAME, WithDecryption: false }));
      assert.equal(raw.Parameter?.Value, `kms:alias/emr-tokens:${standIn.issuedTokens[0]}`);
    });

    it("refresh finds its version current, then records an outside overwrite, and the next diff replaces", async () => {
      const { id, outs } = await provider.create(await checked(deliverTo));
      assert.deepEqual((await provider.read(id, outs)).props, outs, "nothing changed yet");

      await ssm().send(
        new PutParameterCommand({ Name: PARAMETER_NAME, Value: "outside", Type: "SecureString", Overwrite: true }),
      );
      const { props } = await provider.read(id, outs);
      assert.equal(props["deliveryLost"], `SSM parameter "${PARAMETER_NAME}" is at version 2, not 1`);
      const diff = await provider.diff(id, props, await checked(deliverTo));
      assert.deepEqual(diff.replaces, ["deliveredVersion"]);
      assert.match(reported.join("\n"), /the destination no longer holds the delivered version/);

      const again = await provider.create(await checked(deliverTo));
      assert.equal(again.outs.deliveredVersion, "3");
      assert.equal((await parameterValue())?.Value, standIn.issuedTokens[1]);
    });

    it("refresh records a deleted parameter", async () => {
      const { id, outs } = await provider.create(await checked(deliverTo));
      await ssm().send(new DeleteParameterCommand({ Name: PARAMETER_NAME }));
      assert.equal(
        (await provider.read(id, outs)).props["deliveryLost"],
        `SSM parameter "${PARAMETER_NAME}" no longer exists`,
      );
    });
  });

  describe("to a Secrets Manager secret", () => {
    const deliverTo = { secretsManagerSecret: { secretId: SECRET_NAME } };

    it("makes each minted token the secret's current value, deliveredVersion its VersionId", async () => {
      await secrets().send(new CreateSecretCommand({ Name: SECRET_NAME }));
      const first = await provider.create(await checked(deliverTo));
      let current = await currentSecret();
      assert.equal(current.SecretString, standIn.issuedTokens[0]);
      assert.equal(current.VersionId, first.outs.deliveredVersion);

      const second = await provider.create(await checked(deliverTo));
      current = await currentSecret();
      assert.equal(current.SecretString, standIn.issuedTokens[1]);
      assert.equal(current.VersionId, second.outs.deliveredVersion);
      assert.notEqual(second.outs.deliveredVersion, first.outs.deliveredVersion);
      const previous = await secrets().send(
        new GetSecretValueCommand({ SecretId: SECRET_NAME, VersionStage: "AWSPREVIOUS" }),
      );
      assert.equal(previous.VersionId, first.outs.deliveredVersion);
    });

    it("makes one version when the SDK retries a put whose answer was lost: the retry carries the same ClientRequestToken", async () => {
      await secrets().send(new CreateSecretCommand({ Name: SECRET_NAME }));
      const proxy = await losingFirstPut(moto().endpoint);
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = proxy.url;
      forgetServiceClients();
      try {
        const { outs } = await provider.create(await checked(deliverTo));
        const tokens = proxy.puts.map(
          (body) => (JSON.parse(body) as { ClientRequestToken: string }).ClientRequestToken,
        );
        assert.equal(tokens.length, 2, "the SDK retried the put once");
        assert.equal(tokens[1], tokens[0]);
        assert.equal(outs.deliveredVersion, tokens[0]);
        const versions = await secrets().send(new ListSecretVersionIdsCommand({ SecretId: SECRET_NAME }));
        assert.deepEqual(
          versions.Versions?.map((v) => v.VersionId),
          [tokens[0]],
          "one version, not two",
        );
        assert.equal((await currentSecret()).SecretString, standIn.issuedTokens[0]);
      } finally {
        process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = moto().endpoint;
        forgetServiceClients();
        await proxy.close();
      }
    });

    it("refresh records an outside PutSecretValue", async () => {
      await secrets().send(new CreateSecretCommand({ Name: SECRET_NAME }));
      const { id, outs } = await provider.create(await checked(deliverTo));
      assert.equal((await provider.read(id, outs)).props["deliveryLost"], undefined);
      const outside = await secrets().send(
        new PutSecretValueCommand({ SecretId: SECRET_NAME, SecretString: "outside" }),
      );
      assert.equal(
        (await provider.read(id, outs)).props["deliveryLost"],
        `Secrets Manager secret "${SECRET_NAME}" has ${outside.VersionId} current version, not ${outs.deliveredVersion}`,
      );
    });

    it("fails the create on a secret that does not exist, with moto's code and request id, and no token", async () => {
      await assert.rejects(provider.create(await checked(deliverTo)), (error: Error) => {
        assert.match(
          error.message,
          new RegExp(
            `^ManagedEndpointSessionCredentials "notebook-creds": PutSecretValue failed for Secrets Manager secret "${SECRET_NAME}" in us-west-2 \\(ResourceNotFoundException, HTTP \\d+, request id \\S+, 1 attempt\\)`,
          ),
        );
        assert.match(error.message, /Create the secret first/);
        assert.match(error.message, /was not delivered and nothing was recorded/);
        assert.equal(standIn.issuedTokens.length, 1);
        assert.ok(!error.message.includes(standIn.issuedTokens[0]!), "the token is in the message");
        return true;
      });
    });
  });
});
