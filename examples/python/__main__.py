"""Session credentials for an existing EMR on EKS managed endpoint, from a Python program, through
the provider plugin: one token delivered straight to an SSM SecureString parameter (never in the
stack's state), one as a secret output. The region is the plugin's config
(`emr-session-credentials:region`). Set up as the README's "Python, YAML, Go" section says."""
import pulumi
import pulumi_emr_session_credentials as emr

config = pulumi.Config()
session = dict(
    virtual_cluster_identifier=config.require("virtualClusterId"),
    endpoint_identifier=config.require("endpointId"),
    execution_role_arn=config.require("executionRoleArn"),
    duration_in_seconds=config.get_int("durationInSeconds"),
    log_context=config.get("logContext"),
    # Optional: a custom API URL, such as the local stand-in of the `local` stack.
    endpoint=config.get("apiEndpoint"),
)

# PutParameter (SecureString, Overwrite): a new parameter version with each token.
in_parameter = emr.ManagedEndpointSessionCredentials(
    "token-in-ssm",
    deliver_to=emr.DeliverToArgs(
        ssm_parameter=emr.SsmParameterArgs(
            name=config.get("parameterName") or f"/emr/{pulumi.get_stack()}/session-token",
        ),
    ),
    **session,
)

# The token as a secret output, for a consumer in this program.
credentials = emr.ManagedEndpointSessionCredentials("notebook-session", **session)

pulumi.export("parameterVersion", in_parameter.delivered_version)
pulumi.export("token", credentials.token)
pulumi.export("renewAt", credentials.renew_at)
