export {
  ManagedEndpointSessionCredentials,
  type DeliverToArgs,
  type Integer,
  type ManagedEndpointSessionCredentialsArgs,
  type SecretsManagerSecretArgs,
  type SsmParameterArgs,
} from "./dynamic/resource";
export { CREDENTIALS_TYPE } from "./dynamic/type-token";
export { isRenewalDue, renewalTime, systemClock, type Clock, type TokenLife } from "./lifecycle/renewal";
export { SessionCredentialsProvider } from "./lifecycle/session-credentials-provider";
