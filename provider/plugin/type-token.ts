import { RESOURCE_TYPE_NAME } from "../lifecycle/inputs";

/** The provider plugin's package name: its config namespace, and `pulumi-resource-<name>`. */
export const PLUGIN_PACKAGE = "emr-session-credentials";

/** The type token the plugin serves `ManagedEndpointSessionCredentials` under, in every language. */
export const PLUGIN_CREDENTIALS_TYPE = `${PLUGIN_PACKAGE}:index:${RESOURCE_TYPE_NAME}`;
