import { RESOURCE_TYPE_NAME } from "../lifecycle/inputs";

/** The module `ManagedEndpointSessionCredentials` registers under, as a `pulumi.dynamic.Resource`. */
export const CREDENTIALS_MODULE = "emr-containers";

/** The type name `ManagedEndpointSessionCredentials` registers under. */
export const CREDENTIALS_TYPE_NAME = RESOURCE_TYPE_NAME;

/** The type token the engine stores the resource under, as `pulumi stack export` shows it. */
export const CREDENTIALS_TYPE = `pulumi-nodejs:dynamic/${CREDENTIALS_MODULE}:${CREDENTIALS_TYPE_NAME}`;
