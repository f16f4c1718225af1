export {
  ManagedEndpointSessionCredentials,
  type DeliverToArgs,
  type ManagedEndpointSessionCredentialsArgs,
} from "./resource";
export { SessionCredentialsProvider } from "./provider";
export { isRenewalDue, renewalTime, systemClock, type Clock, type TokenLife } from "./renewal";
export { CREDENTIALS_TYPE } from "./type-token";
