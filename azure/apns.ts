/**
 * APNs facts in one place: which gateway an environment uses and which environment an endpoint
 * belongs to, and the hub credential's fields of each mode. The config picks an environment, the
 * hub component turns it into the endpoint, the doctor reads a deployed hub back. (The policy pack
 * keeps its own copies so it can be published alone; a test holds them equal.)
 */
export type ApnsEnvironment = "production" | "sandbox";

export const APNS_ENVIRONMENTS: readonly ApnsEnvironment[] = ["sandbox", "production"];

/** The token-mode (HTTP/2) endpoint a hub is given for each environment. */
const ENDPOINTS: Record<ApnsEnvironment, string> = {
  sandbox: "https://api.development.push.apple.com:443/3/device",
  production: "https://api.push.apple.com:443/3/device",
};

/**
 * Every host of each environment Notification Hubs may report: the HTTP/2 hosts and the legacy
 * binary-protocol gateways an older hub (or the portal) may still hold.
 */
export const APNS_GATEWAY_HOSTS: Record<ApnsEnvironment, readonly string[]> = {
  production: ["api.push.apple.com", "gateway.push.apple.com"],
  sandbox: ["api.development.push.apple.com", "api.sandbox.push.apple.com", "gateway.sandbox.push.apple.com"],
};

export function apnsEndpointFor(environment: ApnsEnvironment): string {
  return ENDPOINTS[environment];
}

/** An endpoint's host, lower-case: the endpoint may be a URL or a bare host; undefined when it is neither. */
function hostOf(endpoint: string): string | undefined {
  const url = endpoint.includes("://") ? endpoint : `https://${endpoint}`;
  return URL.canParse(url) ? new URL(url).hostname.toLowerCase() : undefined;
}

/** The environment of an endpoint (a URL or a bare host); undefined when it is no gateway of Apple's. */
export function apnsEnvironmentOf(endpoint: string): ApnsEnvironment | undefined {
  const host = hostOf(endpoint);
  return APNS_ENVIRONMENTS.find((environment) => host !== undefined && APNS_GATEWAY_HOSTS[environment].includes(host));
}

/** The host of an endpoint, for messages; the text itself when it is not a URL. */
export function apnsHostOf(endpoint: string): string {
  return hostOf(endpoint) ?? endpoint.toLowerCase();
}

/** A hub's APNs credential fields in certificate mode, which ACS cannot push through. */
export const APNS_CERTIFICATE_FIELDS: readonly string[] = ["apnsCertificate", "certificateKey", "thumbprint"];

/** A hub's APNs credential fields in token mode (ARM's names), each with what it holds. */
export const APNS_TOKEN_FIELDS: readonly (readonly [field: string, holds: string])[] = [
  ["keyId", "key id"],
  ["appId", "team id (appId)"],
  ["appName", "bundle id (appName)"],
  ["token", ".p8 key (token)"],
];
