// Against real AWS: runs only when an endpoint to test is named in the environment, with AWS
// credentials and a region from the usual places (AWS_PROFILE, AWS_REGION, ...):
//   EMR_SESSION_TEST_VIRTUAL_CLUSTER  a virtual cluster ID or ARN
//   EMR_SESSION_TEST_ENDPOINT         an ACTIVE managed endpoint in it, ID or ARN
//   EMR_SESSION_TEST_EXECUTION_ROLE   the endpoint's execution role ARN
// Each run mints two short-lived tokens (15 minutes). Nothing is printed of them.
import * as assert from "node:assert/strict";
import { SessionCredentialsProvider } from "../provider";

const virtualClusterIdentifier = process.env["EMR_SESSION_TEST_VIRTUAL_CLUSTER"];
const endpointIdentifier = process.env["EMR_SESSION_TEST_ENDPOINT"];
const executionRoleArn = process.env["EMR_SESSION_TEST_EXECUTION_ROLE"];

describe("against real AWS", function () {
  this.timeout(60_000);
  const provider = new SessionCredentialsProvider();
  const news = { virtualClusterIdentifier, endpointIdentifier, executionRoleArn, resourceName: "real-aws-test" };

  before(function () {
    if (!virtualClusterIdentifier || !endpointIdentifier || !executionRoleArn) {
      console.log(
        "      skipped: set EMR_SESSION_TEST_VIRTUAL_CLUSTER, EMR_SESSION_TEST_ENDPOINT and " +
          "EMR_SESSION_TEST_EXECUTION_ROLE (and AWS credentials) to run against a real endpoint",
      );
      this.skip();
    }
  });

  it("mints a token for an ACTIVE endpoint, reads its serverUrl, and mints a different one on renewal", async () => {
    const { inputs, failures } = await provider.check({}, { ...news, describeEndpoint: true });
    assert.deepEqual(failures, []);
    const first = await provider.create(inputs);
    assert.ok((first.outs.token ?? "").length > 0);
    assert.equal(first.outs.endpointState, "ACTIVE");
    assert.match(first.outs.serverUrl ?? "", /^https:\/\//);
    const life = Date.parse(first.outs.expiresAt) - (Date.now() + first.outs.serviceClockOffsetMs);
    assert.ok(life > 800_000 && life <= 900_000, `a 900 s token has ${life} ms left`);
    const second = await provider.create(inputs);
    assert.notEqual(second.outs.token, first.outs.token, "a renewal mints a new token");
  });

  it("explains an endpoint that does not exist, naming the error code and request id", async () => {
    const { inputs } = await provider.check({}, { ...news, endpointIdentifier: "doesnotexist0000" });
    await assert.rejects(provider.create(inputs), /(ResourceNotFoundException|ValidationException).*request id/);
  });
});
