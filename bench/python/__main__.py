"""The benchmark's program in Python: `bench:count` credentials through the provider plugin, with
the inputs of bench/bench-resources.ts's TypeScript credentials, minting at `bench:apiEndpoint`."""
import pulumi
import pulumi_emr_session_credentials as emr

config = pulumi.Config("bench")
for index in range(config.require_int("count")):
    emr.ManagedEndpointSessionCredentials(
        f"credentials-{index}",
        virtual_cluster_identifier="vc0123456789abcdefghij",
        endpoint_identifier="ep0123456789abcdefghij",
        execution_role_arn="arn:aws:iam::123456789012:role/emr-notebook-execution",
        region="us-west-2",
        endpoint=config.require("apiEndpoint"),
    )
