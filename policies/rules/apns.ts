import { resourceRule, RuleConfig } from "../framework/policyDefinition";
import { isSet, read, readString, stackOfUrn, UNKNOWN } from "../framework/props";
import { isClassicHub, isHub } from "../framework/resourceTypes";

// Copies of azure/apns.ts (the pack is published alone); a test holds them equal.
export const CERTIFICATE_FIELDS = ["apnsCertificate", "certificateKey", "thumbprint"];
export const NATIVE_TOKEN_FIELDS: [string, string][] = [
  ["keyId", "key id"],
  ["appId", "team id (appId)"],
  ["appName", "bundle id (appName)"],
  ["token", ".p8 key (token)"],
];
const CLASSIC_TOKEN_FIELDS: [string, string][] = [
  ["keyId", "key id"],
  ["teamId", "team id"],
  ["bundleId", "bundle id"],
  ["token", ".p8 key (token)"],
];

function missingFields(credential: unknown, fields: [string, string][]): string[] {
  return fields.filter(([field]) => !isSet(read(credential, field))).map(([, label]) => label);
}

/** Troubleshooting case 4: ACS cannot push through a hub whose APNs credential is in certificate mode. */
export const apnsTokenAuthRequired = resourceRule(
  {
    name: "apns-token-auth-required",
    description: "APNs credentials on a notification hub must use token (.p8) authentication, which ACS requires.",
    severity: "critical",
    enforcementLevel: "mandatory",
    docs: {
      why: "troubleshooting case 4 — ACS cannot push through a hub whose APNs credential is in certificate mode.",
      checks:
        "hubs with an APNs credential set no `apnsCertificate`, `certificateKey` or `thumbprint`, and set `keyId`, `appId` (Team ID), `appName` (bundle id) and `token` (classic: `keyId`, `teamId`, `bundleId`, `token`).",
      fix: "configure a `.p8` auth key (this project's `apns` + `apnsToken` config) and remove the certificate.",
    },
    remediationSteps:
      "Remove apnsCertificate, certificateKey and thumbprint and set keyId, appId (Team ID), appName (bundle id) and token (.p8 key) instead.",
  },
  isHub,
  (resource) => {
    const credential = read(resource.props, "apnsCredential");
    // A credential not known yet (preview) reads as unknown in every field: nothing below reports on it.
    if (!isSet(credential)) return [];
    const problems: string[] = [];
    // (The classic provider's hub has no certificate fields, so this finds them on native hubs only.)
    const certificateFields = CERTIFICATE_FIELDS.filter((f) => {
      const v = read(credential, f);
      return v !== UNKNOWN && isSet(v);
    });
    if (certificateFields.length > 0) {
      problems.push(
        `Notification hub '${resource.name}' configures APNs in certificate mode (${certificateFields.join(", ")}): ACS only pushes through hubs in token mode. Configure a .p8 auth key (keyId, appId, appName, token) and remove the certificate fields.`,
      );
    }
    const missing = missingFields(credential, isClassicHub(resource.type) ? CLASSIC_TOKEN_FIELDS : NATIVE_TOKEN_FIELDS);
    if (missing.length > 0) {
      problems.push(`Notification hub '${resource.name}' APNs token credential must set ${missing.join(", ")}.`);
    }
    return problems;
  },
);

/**
 * Apple's gateway hosts per environment. The pack is published alone, so this is a copy of
 * azure/apns.ts; a test holds the two equal.
 */
export const GATEWAY_HOSTS: Readonly<Record<"production" | "sandbox", readonly string[]>> = {
  production: ["api.push.apple.com", "gateway.push.apple.com"],
  sandbox: ["api.development.push.apple.com", "api.sandbox.push.apple.com", "gateway.sandbox.push.apple.com"],
};

interface EndpointConfig extends RuleConfig {
  readonly environment?: "auto" | "production" | "non-production";
  readonly productionStacks?: string[];
}

/** The endpoint's host, lower-case; undefined when it is not a URL at all (then it is no gateway of Apple's). */
function hostOf(endpoint: string): string | undefined {
  const url = endpoint.includes("://") ? endpoint : `https://${endpoint}`;
  return URL.canParse(url) ? new URL(url).hostname.toLowerCase() : undefined;
}

/** Sandbox tokens from development builds are rejected by the production gateway, and the reverse. */
export const apnsEndpointMatchesEnvironment = resourceRule<EndpointConfig>(
  {
    name: "apns-endpoint-matches-environment",
    description: "The APNs endpoint must be the production gateway in production stacks and the sandbox gateway elsewhere.",
    severity: "high",
    enforcementLevel: "mandatory",
    docs: {
      why: "development builds hold sandbox device tokens, store and TestFlight builds production ones; the wrong gateway rejects every push.",
      checks:
        "the APNs endpoint (classic: `applicationMode`) is the production gateway in production stacks and the sandbox gateway elsewhere; an unknown gateway is a violation.",
      config:
        '`environment`: `auto` (default: production when the stack name is in `productionStacks`), `production`, `non-production`; `productionStacks` (default `["prod", "production"]`).',
      fix: "`apns.environment: production` in production stacks, `sandbox` elsewhere.",
    },
    remediationSteps:
      "Set apns.environment to production in production stacks (App Store/TestFlight builds) and to sandbox elsewhere (development builds).",
    config: {
      environment: {
        type: "string",
        enum: ["auto", "production", "non-production"],
        default: "auto",
        description: "auto: production when the stack name is one of productionStacks.",
      },
      productionStacks: {
        type: "array",
        items: { type: "string" },
        default: ["prod", "production"],
        description: "Stack names treated as production when environment is auto.",
      },
    },
  },
  isHub,
  (resource, config) => {
    const environment = config.environment ?? "auto";
    const productionStacks = config.productionStacks ?? ["prod", "production"];
    const production =
      environment === "auto" ? productionStacks.includes(stackOfUrn(resource.urn)) : environment === "production";
    const wanted = production ? "production" : "sandbox";
    let actual: "production" | "sandbox" | "unknown endpoint" | undefined;
    if (isClassicHub(resource.type)) {
      const mode = readString(resource.props, "apnsCredential.applicationMode");
      if (mode === UNKNOWN || mode === undefined) return [];
      actual =
        mode.toLowerCase() === "production" ? "production" : mode.toLowerCase() === "sandbox" ? "sandbox" : "unknown endpoint";
    } else {
      const endpoint = readString(resource.props, "apnsCredential.endpoint");
      if (endpoint === UNKNOWN || endpoint === undefined) return [];
      // Stryker disable next-line StringLiteral: equivalent — any string that is not a host is no gateway of Apple's.
      const host = hostOf(endpoint) ?? "";
      actual = GATEWAY_HOSTS.production.includes(host)
        ? "production"
        : GATEWAY_HOSTS.sandbox.includes(host)
          ? "sandbox"
          : "unknown endpoint";
    }
    if (actual === wanted) return [];
    return [
      `Notification hub '${resource.name}' uses the APNs ${actual === "unknown endpoint" ? "endpoint of an unknown gateway" : `${actual} gateway`} in a ${production ? "production" : "non-production"} stack: pushes to ${production ? "App Store and TestFlight" : "development"} builds will be rejected. Use the ${wanted} gateway (apns.environment: ${wanted}).`,
    ];
  },
);
