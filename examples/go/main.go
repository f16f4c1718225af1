// Session credentials for an existing EMR on EKS managed endpoint from a Go program, built with the
// package's Go SDK (sdk/go), through the provider plugin: the token as a secret output. The region
// is the plugin's config (`emr-session-credentials:region`). Set up as the README's "Python, YAML,
// Go" section says.
package main

import (
	"pulumi-emr-session-credentials/sdk/go/emrsessioncredentials"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		args := &emrsessioncredentials.ManagedEndpointSessionCredentialsArgs{
			VirtualClusterIdentifier: pulumi.String(config.Require(ctx, "virtualClusterId")),
			EndpointIdentifier:       pulumi.String(config.Require(ctx, "endpointId")),
			ExecutionRoleArn:         pulumi.String(config.Require(ctx, "executionRoleArn")),
			DurationInSeconds:        pulumi.Int(3600),
		}
		// Optional: a custom API URL, such as the local stand-in of the `local` stack.
		if endpoint := config.Get(ctx, "apiEndpoint"); endpoint != "" {
			args.Endpoint = pulumi.String(endpoint)
		}
		credentials, err := emrsessioncredentials.NewManagedEndpointSessionCredentials(ctx, "notebook-session", args)
		if err != nil {
			return err
		}
		ctx.Export("token", credentials.Token)
		ctx.Export("renewAt", credentials.RenewAt)
		return nil
	})
}
