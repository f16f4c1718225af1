/**
 * The Kubernetes example under the REAL Pulumi CLI: installed as a user's stack, its Secret and
 * Deployment played by a recording stand-in of the Kubernetes provider plugin (at the version of
 * `@pulumi/kubernetes` in package.json), its EMR calls answered by the local stand-in (which
 * describes every endpoint as ACTIVE while none is registered). The tests run in order, on one stack.
 */
import assert from "node:assert/strict";
import { exampleStackForSuite } from "../support/example-stack";
import { CREDENTIALS_TYPE } from "../support/local-stack";
import type { RecordedCall } from "../support/plugins/recording-provider";
import { clockMovedBy } from "../support/moved-clock";
import { isSecret, reveal } from "../support/wire";

const ENDPOINT_ID = "ep0123456789abcdefghij";
const SERVER_URL = `https://${ENDPOINT_ID}.jeg.stand-in.invalid:18888`;
const SECRET_TYPE = "kubernetes:core/v1:Secret";
const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";
const SESSION_ANNOTATION = "emr-session-credentials/session-id";
const GATEWAY_KEYS = ["JUPYTER_GATEWAY_URL", "JUPYTER_GATEWAY_AUTH_TOKEN"];
/** The example's token lives 12 h and is renewed 4 h before it expires: past renewAt after 8 h. */
const PAST_RENEW_AT = 8 * 3600 + 60;

/** The parts of a Deployment's recorded properties the example sets. */
interface DeploymentProps {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: { containers: { env: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[] }[] };
    };
  };
}

describe("the Kubernetes example under the real Pulumi CLI", function () {
  this.timeout(240_000);
  const example = exampleStackForSuite("kubernetes", { play: ["kubernetes"] });

  const calls = (type: string): RecordedCall[] => example().providers["kubernetes"]?.callsFor(type) ?? [];
  const credentialsId = async (): Promise<string | undefined> =>
    (await example().cli.resources(CREDENTIALS_TYPE))[0]?.id;

  /** The last Secret call's `stringData`, asserted to be a secret as a whole, revealed. */
  function lastGatewayData(op: RecordedCall["op"]): Record<string, string> {
    const call = calls(SECRET_TYPE).at(-1);
    assert.equal(call?.op, op);
    const stringData = call.properties["stringData"];
    assert.ok(isSecret(stringData), `the Secret received stringData as a secret: ${JSON.stringify(stringData)}`);
    return reveal(stringData) as Record<string, string>;
  }

  /** The last Deployment call's pod template. */
  function lastPodTemplate(op: RecordedCall["op"]): DeploymentProps["spec"]["template"] {
    const call = calls(DEPLOYMENT_TYPE).at(-1);
    assert.equal(call?.op, op);
    return (reveal(call.properties) as DeploymentProps).spec.template;
  }

  it("puts the gateway URL and the token into the Secret as a secret on up, and the Deployment reads both from it", async () => {
    await example().cli.run(["up", "--yes", "--skip-preview"]);
    assert.deepEqual(
      example().standIn.requests.map((r) => r.operation),
      ["DescribeManagedEndpoint", "GetManagedEndpointSessionCredentials"],
    );
    assert.deepEqual(lastGatewayData("create"), {
      JUPYTER_GATEWAY_URL: SERVER_URL,
      JUPYTER_GATEWAY_AUTH_TOKEN: example().standIn.issuedTokens[0],
    });

    const secretName = await example().cli.output("secretName");
    assert.match(secretName, /^notebook-gateway-/, "the Secret was named as the provider auto-names");
    const template = lastPodTemplate("create");
    assert.deepEqual(
      template.spec.containers[0]?.env,
      GATEWAY_KEYS.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: secretName, key } } })),
    );
    assert.equal(template.metadata.annotations[SESSION_ANNOTATION], await credentialsId());
    assert.ok(
      !example().cli.backendText().includes(example().standIn.issuedTokens[0]!),
      "the token is in clear in the state",
    );
  });

  it("on an up past renewAt, updates the Secret with the new token, then the pod template, so the pods roll", async () => {
    const oldTemplate = lastPodTemplate("create");
    await example().cli.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_RENEW_AT) });
    assert.equal(example().standIn.issuedTokens.length, 2);
    assert.deepEqual(lastGatewayData("update"), {
      JUPYTER_GATEWAY_URL: SERVER_URL,
      JUPYTER_GATEWAY_AUTH_TOKEN: example().standIn.issuedTokens[1],
    });

    const newTemplate = lastPodTemplate("update");
    const newId = await credentialsId();
    assert.equal(newTemplate.metadata.annotations[SESSION_ANNOTATION], newId);
    assert.notEqual(newId, oldTemplate.metadata.annotations[SESSION_ANNOTATION], "the pod template changed");
    assert.deepEqual(newTemplate.spec.containers, oldTemplate.spec.containers, "the pods read the same Secret keys");

    const order = example()
      .providers["kubernetes"]!.calls()
      .map((call) => `${call.op} ${call.urn.split("::")[2]}`);
    assert.ok(
      order.lastIndexOf(`update ${SECRET_TYPE}`) < order.lastIndexOf(`update ${DEPLOYMENT_TYPE}`),
      `the Secret holds the new token before the pods roll: ${order.join(", ")}`,
    );
  });
});
