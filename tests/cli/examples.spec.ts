/**
 * The examples under the REAL Pulumi CLI: the notebook example installed as a user's stack (its
 * role, virtual cluster and Secrets Manager secret played by a recording stand-in of the AWS
 * provider), and the repository's root `Pulumi.yaml`. The quickstart's whole life is in
 * lifecycle.spec.ts.
 */
import assert from "node:assert/strict";
import { exampleStackForSuite, startRootStack } from "../support/example-stack";
import { CREDENTIALS_TYPE } from "../support/local-stack";
import { fakeId } from "../support/plugins/fake-outputs";
import { clockMovedBy } from "../support/moved-clock";
import { isSecret, reveal } from "../support/wire";

const ENDPOINT_ID = "ep0123456789abcdefghij";
const ROLE_TYPE = "aws:iam/role:Role";
const VIRTUAL_CLUSTER_TYPE = "aws:emrcontainers/virtualCluster:VirtualCluster";
const SECRET_VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";
const SERVER_URL = `https://${ENDPOINT_ID}.jeg.stand-in.invalid:18888`;
/** The notebook's token lives 12 h and is renewed 4 h before it expires: past renewAt after 8 h. */
const PAST_NOTEBOOK_RENEW_AT = 8 * 3600 + 60;

describe("the examples under the real Pulumi CLI", function () {
  this.timeout(240_000);

  describe("the notebook example", () => {
    const example = exampleStackForSuite("notebook");

    /** What the last create or update of the Secrets Manager secret version received. */
    const lastSecretString = (): unknown =>
      example().aws.callsFor(SECRET_VERSION_TYPE).at(-1)?.properties["secretString"];

    it("previews cleanly while the execution role's ARN is unknown, minting nothing", async () => {
      const { output } = await example().cli.run(["preview", "--diff"]);
      assert.match(output, /ManagedEndpointSessionCredentials: \(create\)/);
      assert.match(output, /executionRoleArn\s*: \[unknown\]/);
      assert.deepEqual(example().standIn.requests, []);
    });

    it("creates the credentials with the role's ARN on up, and the secret gets the URL and the token as a secret", async () => {
      await example().cli.run(["up", "--yes", "--skip-preview"]);
      const [role] = example().aws.callsFor(ROLE_TYPE);
      const [cluster] = await example().cli.resources(VIRTUAL_CLUSTER_TYPE);
      const [roleState] = await example().cli.resources(ROLE_TYPE);
      assert.ok(role && cluster && roleState);
      assert.deepEqual(
        example().standIn.requests.map((r) => [r.operation, r.virtualClusterIdentifier, r.endpointIdentifier]),
        [
          ["DescribeManagedEndpoint", cluster.id, ENDPOINT_ID],
          ["GetManagedEndpointSessionCredentials", cluster.id, ENDPOINT_ID],
        ],
      );
      assert.equal(example().standIn.requests[1]?.body?.["executionRoleArn"], roleState.outputs?.["arn"]);

      const secretString = lastSecretString();
      assert.ok(isSecret(secretString), "the secret version received secretString as a secret");
      assert.deepEqual(JSON.parse(String(reveal(secretString))), {
        JUPYTER_GATEWAY_URL: SERVER_URL,
        JUPYTER_GATEWAY_AUTH_TOKEN: example().standIn.issuedTokens[0],
      });
      assert.equal(await example().cli.output("serverUrl"), SERVER_URL);
    });

    it("hands the secret the new token when an up past renewAt renews it", async () => {
      await example().cli.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_NOTEBOOK_RENEW_AT) });
      assert.equal(example().standIn.issuedTokens.length, 2);
      const secretString = lastSecretString();
      assert.equal(example().aws.callsFor(SECRET_VERSION_TYPE).at(-1)?.op, "update");
      assert.ok(isSecret(secretString));
      assert.equal(
        (JSON.parse(String(reveal(secretString))) as Record<string, string>)["JUPYTER_GATEWAY_AUTH_TOKEN"],
        example().standIn.issuedTokens[1],
      );
    });

    it("fails the up, saying CREATING and minting nothing, while the endpoint is being created", async () => {
      await example().cli.run(["destroy", "--yes"]);
      const [clusterCreate] = example().aws.callsFor(VIRTUAL_CLUSTER_TYPE);
      assert.ok(clusterCreate);
      example().standIn.reset();
      // The stand-in's virtual cluster ID is the same for the same URN, so it is known before the up.
      const virtualClusterId = fakeId(clusterCreate.urn);
      example().standIn.registerEndpoint({ virtualClusterId, id: ENDPOINT_ID, state: "CREATING" });

      const { status, output } = await example().cli.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(status, 0);
      assert.match(
        output,
        new RegExp(`managed endpoint ${ENDPOINT_ID} in virtual cluster ${virtualClusterId} is CREATING, not ACTIVE`),
      );
      assert.match(output, /no token was minted/);
      assert.deepEqual(
        example().standIn.requests.map((r) => r.operation),
        ["DescribeManagedEndpoint"],
      );
      assert.deepEqual(await example().cli.resources(CREDENTIALS_TYPE), []);
      assert.deepEqual(await example().cli.resources(SECRET_VERSION_TYPE), [], "no secret version without a token");
    });
  });

  describe("the repository's root Pulumi.yaml", () => {
    it("runs the quickstart from the root and mints one token on up", async () => {
      const root = await startRootStack();
      try {
        await root.cli.run(["up", "--yes", "--skip-preview"]);
        assert.equal(root.standIn.issuedTokens.length, 1);
        assert.equal(await root.cli.output("token", true), root.standIn.issuedTokens[0]);
        assert.equal(await root.cli.output("parameterName"), "/emr/local/session-token");
        assert.equal((await root.cli.resources(CREDENTIALS_TYPE)).length, 1);
      } finally {
        await root.dispose();
      }
    });
  });
});
