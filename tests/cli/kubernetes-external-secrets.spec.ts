/**
 * The External Secrets Operator variant of the Kubernetes example under the REAL Pulumi CLI:
 * installed as a user's stack, its ServiceAccount, SecretStore, ExternalSecret and Deployment
 * played by a recording stand-in of the Kubernetes provider plugin, its Secrets Manager secret by
 * the AWS stand-in (and made in moto by the test, since the stand-in creates nothing real), the
 * token delivered into moto by the credentials themselves. The tests run in order, on one stack.
 */
import assert from "node:assert/strict";
import { CreateSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { exampleStackForSuite } from "../support/example-stack";
import type { RecordedCall } from "../support/plugins/recording-provider";
import { clockMovedBy } from "../support/moved-clock";
import { reveal } from "../support/wire";

const ENDPOINT_ID = "ep0123456789abcdefghij";
const SERVER_URL = `https://${ENDPOINT_ID}.jeg.stand-in.invalid:18888`;
const SECRET_NAME = "emr/local/notebook-gateway-token";
const EXTERNAL_SECRET_TYPE = "kubernetes:external-secrets.io/v1:ExternalSecret";
const SECRET_STORE_TYPE = "kubernetes:external-secrets.io/v1:SecretStore";
const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";
const VERSION_ANNOTATION = "emr-session-credentials/delivered-version";
/** The example's window: a token renewed 4 h before it expires. */
const RENEW_BEFORE_SECONDS = 4 * 3600;
/** The example's token lives 12 h: past renewAt after 8 h. */
const PAST_RENEW_AT = 8 * 3600 + 60;

/** What the example sets on an ExternalSecret and a Deployment, as the engine sent them. */
interface ExternalSecretProps {
  metadata: { annotations: Record<string, string> };
  spec: {
    refreshInterval: string;
    secretStoreRef: { name: string; kind: string };
    target: { name: string };
    data: { secretKey: string; remoteRef: { key: string } }[];
  };
}
interface DeploymentProps {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: { containers: { env: { name: string; value?: string; valueFrom?: unknown }[] }[] };
    };
  };
}

describe("the Kubernetes example with the External Secrets Operator under the real Pulumi CLI", function () {
  this.timeout(240_000);
  const example = exampleStackForSuite("kubernetes-external-secrets", { play: ["kubernetes"], moto: true });
  const moto = () => example().moto();
  before(async () => {
    await moto().secretsManager.send(new CreateSecretCommand({ Name: SECRET_NAME }));
  });

  const calls = (type: string): RecordedCall[] => example().providers["kubernetes"]?.callsFor(type) ?? [];
  const last = <T>(type: string, op: RecordedCall["op"]): T => {
    const call = calls(type).at(-1);
    assert.equal(call?.op, op, `the last ${type} call`);
    return reveal(call.properties) as T;
  };
  const currentSecret = () =>
    moto().secretsManager.send(new GetSecretValueCommand({ SecretId: SECRET_NAME, VersionStage: "AWSCURRENT" }));

  /** No minted token in what the CLI printed, the backend, the export with secrets shown, or anything a provider plugin received. */
  async function assertNoTokenAnywhere(): Promise<void> {
    const text = [
      example().cli.transcript.join("\n"),
      example().cli.backendText(),
      (await example().cli.run(["stack", "export", "--show-secrets"])).stdout,
      JSON.stringify(Object.values(example().providers).map((provider) => provider.calls())),
    ].join("\n");
    for (const token of example().standIn.issuedTokens) assert.ok(!text.includes(token), "a minted token leaked");
  }

  it("delivers the token to Secrets Manager, syncs it with an ExternalSecret, and the pods carry its version", async () => {
    await example().cli.run(["up", "--yes", "--skip-preview"]);
    assert.deepEqual(
      example().standIn.requests.map((r) => r.operation),
      ["DescribeManagedEndpoint", "GetManagedEndpointSessionCredentials"],
    );
    const current = await currentSecret();
    assert.equal(current.SecretString, example().standIn.issuedTokens[0], "moto holds the token");
    const version = await example().cli.output("deliveredVersion");
    assert.equal(version, current.VersionId);

    const store = last<{ spec: { provider: { aws: { service: string; region: string } } } }>(
      SECRET_STORE_TYPE,
      "create",
    );
    assert.deepEqual(
      { service: store.spec.provider.aws.service, region: store.spec.provider.aws.region },
      { service: "SecretsManager", region: "us-west-2" },
    );
    const sync = last<ExternalSecretProps>(EXTERNAL_SECRET_TYPE, "create");
    assert.deepEqual(sync.spec.data, [{ secretKey: "JUPYTER_GATEWAY_AUTH_TOKEN", remoteRef: { key: SECRET_NAME } }]);
    assert.equal(sync.spec.secretStoreRef.kind, "SecretStore");
    assert.equal(sync.metadata.annotations["force-sync"], version);
    const refreshSeconds = Number(/^(\d+)s$/.exec(sync.spec.refreshInterval)?.[1]);
    assert.ok(refreshSeconds > 0 && refreshSeconds < RENEW_BEFORE_SECONDS, "refreshes well inside the renewal window");

    const template = last<DeploymentProps>(DEPLOYMENT_TYPE, "create").spec.template;
    assert.equal(template.metadata.annotations[VERSION_ANNOTATION], version);
    assert.deepEqual(template.spec.containers[0]?.env, [
      { name: "JUPYTER_GATEWAY_URL", value: SERVER_URL },
      {
        name: "JUPYTER_GATEWAY_AUTH_TOKEN",
        valueFrom: { secretKeyRef: { name: sync.spec.target.name, key: "JUPYTER_GATEWAY_AUTH_TOKEN" } },
      },
    ]);
    await assertNoTokenAnywhere();
  });

  it("on an up past renewAt, delivers a new version, tells the operator, then rolls the pods, with no token in the stack", async () => {
    const before = await example().cli.output("deliveredVersion");
    await example().cli.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_RENEW_AT) });
    assert.equal(example().standIn.issuedTokens.length, 2);
    const current = await currentSecret();
    assert.equal(current.SecretString, example().standIn.issuedTokens[1]);
    const version = await example().cli.output("deliveredVersion");
    assert.equal(version, current.VersionId);
    assert.notEqual(version, before);

    assert.equal(last<ExternalSecretProps>(EXTERNAL_SECRET_TYPE, "update").metadata.annotations["force-sync"], version);
    assert.equal(
      last<DeploymentProps>(DEPLOYMENT_TYPE, "update").spec.template.metadata.annotations[VERSION_ANNOTATION],
      version,
    );
    const order = example()
      .providers["kubernetes"]!.calls()
      .map((call) => `${call.op} ${call.urn.split("::")[2]}`);
    assert.ok(
      order.lastIndexOf(`update ${EXTERNAL_SECRET_TYPE}`) < order.lastIndexOf(`update ${DEPLOYMENT_TYPE}`),
      `the operator hears of the new version before the pods roll: ${order.join(", ")}`,
    );
    await assertNoTokenAnywhere();
  });
});
