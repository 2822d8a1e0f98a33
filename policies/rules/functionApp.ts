import { resourceRule } from "../framework/policyDefinition";
import { read, readArray, readString, UNKNOWN } from "../framework/props";
import { anyOf, isClassicFunctionApp, isNativeAppSettings, isNativeWebApp } from "../framework/resourceTypes";

/** An azure-native WebApp is a Function App when its kind says so (`functionapp,linux`, …). */
function hasFunctionAppKind(props: Record<string, unknown>): boolean {
  const kind = readString(props, "kind");
  return typeof kind === "string" && kind.toLowerCase().includes("functionapp");
}

const TLS_OK = ["1.2", "1.3"];

/** Hardening for the app that holds the hub's Send key. */
export const functionAppHardened = resourceRule(
  {
    name: "function-app-hardened",
    description: "Function Apps must be HTTPS only, require TLS 1.2+, disable FTP(S) and run with a managed identity.",
    severity: "high",
    enforcementLevel: "mandatory",
    docs: {
      why: "the Function App holds the hub's Send key.",
      checks:
        "function apps (`azure-native:web:WebApp` with a `functionapp` kind; classic Linux/Windows/Flex function apps) are HTTPS only, require TLS 1.2 or 1.3, have FTP(S) disabled and run with a managed identity. azure-native apps must set TLS and FTPS explicitly; the classic provider's safe defaults are accepted.",
      fix: '`httpsOnly: true`, `siteConfig.minTlsVersion: "1.2"`, `siteConfig.ftpsState: "Disabled"`, an identity.',
    },
    remediationSteps:
      'Set httpsOnly: true, siteConfig.minTlsVersion (classic: minimumTlsVersion) "1.2", siteConfig.ftpsState "Disabled" and a SystemAssigned or UserAssigned identity.',
  },
  anyOf(isNativeWebApp, isClassicFunctionApp),
  (resource) => {
    const native = isNativeWebApp(resource.type);
    if (native && !hasFunctionAppKind(resource.props)) return [];
    const gaps: string[] = [];
    const httpsOnly = read(resource.props, "httpsOnly");
    if (httpsOnly !== UNKNOWN && httpsOnly !== true) gaps.push("httpsOnly is not true");
    // azure-native passes no defaults: unset means Azure's default, which this rule does not trust.
    // The classic provider defaults both to the safe value, so unset is fine there.
    const tls = readString(resource.props, native ? "siteConfig.minTlsVersion" : "siteConfig.minimumTlsVersion");
    // Stryker disable next-line StringLiteral: equivalent — no placeholder string is an accepted TLS version.
    if (tls !== UNKNOWN && (native ? !TLS_OK.includes(tls ?? "") : tls !== undefined && !TLS_OK.includes(tls))) {
      gaps.push(`minimum TLS is ${tls ?? "not set"} (needs 1.2 or 1.3)`);
    }
    const ftps = readString(resource.props, "siteConfig.ftpsState");
    if (ftps !== UNKNOWN && (native ? ftps !== "Disabled" : ftps !== undefined && ftps !== "Disabled"))
      gaps.push(`ftpsState is ${ftps ?? "not set"} (needs Disabled)`);
    const identity = readString(resource.props, "identity.type");
    if (identity !== UNKNOWN && !/assigned/i.test(String(identity))) gaps.push("no managed identity");
    return gaps.length === 0 ? [] : [`Function App '${resource.name}' is not hardened: ${gaps.join("; ")}.`];
  },
);

const HUB_CONNECTION_STRING = /Endpoint=sb:\/\/[^;]+;\s*SharedAccessKeyName=[^;]+;\s*SharedAccessKey=/i;

function settingsOf(type: string, props: Record<string, unknown>): Map<string, unknown> | typeof UNKNOWN {
  const settings = new Map<string, unknown>();
  if (isNativeWebApp(type)) {
    const list = readArray(props, "siteConfig.appSettings");
    if (list === UNKNOWN) return UNKNOWN;
    if (list === undefined) return settings;
    for (const item of list) {
      const name = read(item, "name");
      settings.set(typeof name === "string" ? name : "(unnamed)", read(item, "value"));
    }
  } else {
    // A map not known yet (preview) is a symbol, not an object: no settings are read from it.
    const map = read(props, isNativeAppSettings(type) ? "properties" : "appSettings");
    if (map && typeof map === "object") for (const key of Object.keys(map)) settings.set(key, read(map, key));
  }
  return settings;
}

/** The Send key in an app setting is readable by anyone who can read the site's configuration. */
export const functionNoPlaintextHubConnectionString = resourceRule(
  {
    name: "function-no-plaintext-hub-connection-string",
    description: "A Function App must reference the hub connection string from Key Vault, never hold it in an app setting.",
    severity: "critical",
    enforcementLevel: "mandatory",
    docs: {
      why: "an app setting is readable by anyone who can read the site's configuration; a Pulumi secret keeps it out of state, not out of the portal.",
      checks:
        "no app setting (`siteConfig.appSettings`, `WebAppApplicationSettings`, classic `appSettings`) holds a Notification Hubs connection string unless it is a Key Vault reference `@Microsoft.KeyVault(…)`. The message names the setting, never its value.",
      fix: "store the connection string in Key Vault and reference it with the app's managed identity.",
    },
    remediationSteps:
      "Store the connection string as a Key Vault secret and set the app setting to @Microsoft.KeyVault(SecretUri=…), read with the app's managed identity.",
  },
  anyOf(isNativeWebApp, isNativeAppSettings, isClassicFunctionApp),
  (resource) => {
    const settings = settingsOf(resource.type, resource.props);
    if (settings === UNKNOWN) return [];
    const leaking = [...settings.entries()]
      // A Key Vault reference never holds a key: any value with one in it leaks it.
      .filter(([, value]) => typeof value === "string" && HUB_CONNECTION_STRING.test(value))
      .map(([name]) => name);
    return leaking.length === 0
      ? []
      : [
          `'${resource.name}' holds a Notification Hubs connection string in app setting ${leaking.join(", ")}: use a Key Vault reference (@Microsoft.KeyVault(SecretUri=…)) instead. The value is not shown.`,
        ];
  },
);
