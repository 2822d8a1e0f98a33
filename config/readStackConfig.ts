import * as pulumi from "@pulumi/pulumi";
import { isSecretOpaque } from "./opaqueSecrets";
import { StackConfigError, validateStackConfig } from "./stackConfig";
import { CONFIG_NAMESPACE, RawStackConfig, SECRET_KEYS, SecretValue, StackConfig } from "./stackConfigTypes";

// `isConfigSecret` is exported by the runtime but left out of its typings.
const runtimeConfig = pulumi.runtime as unknown as { isConfigSecret?: (fullKey: string) => boolean };

function parseValue(text: string): unknown {
  // Pulumi hands structured config (YAML mappings and lists) to programs as JSON text.
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Reads this project's namespace from the Pulumi runtime, once, into raw values. Secrets are
 * read as plain strings only to validate them; everything downstream receives them wrapped
 * in `pulumi.secret`, the same guarantee `requireSecret` gives.
 */
export function readRawStackConfig(): RawStackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values: Record<string, unknown> = {};
  const secrets: Record<string, SecretValue> = {};
  const plaintextSecretKeys: string[] = [];
  const encryptedPlainKeys: string[] = [];
  const otherNamespaceKeys: string[] = [];
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) {
      otherNamespaceKeys.push(fullKey);
      continue;
    }
    const name = fullKey.slice(prefix.length);
    if ((SECRET_KEYS as readonly string[]).includes(name)) {
      if (isSecretOpaque(fullKey)) {
        secrets[name] = { kind: "opaque" };
        continue;
      }
      if (runtimeConfig.isConfigSecret && !runtimeConfig.isConfigSecret(fullKey)) plaintextSecretKeys.push(name);
      secrets[name] = { kind: "plain", value: text };
    } else if (isSecretOpaque(fullKey)) {
      // Encrypted and unreadable here (an offline plan): reported, never parsed.
      encryptedPlainKeys.push(name);
    } else {
      if (runtimeConfig.isConfigSecret?.(fullKey)) encryptedPlainKeys.push(name);
      values[name] = parseValue(text);
    }
  }
  return { values, secrets, plaintextSecretKeys, encryptedPlainKeys, otherNamespaceKeys };
}

/**
 * The one place the program reads configuration. On bad config it throws a RunError, which
 * Pulumi prints as the plain list of problems, without a stack trace, before any resource exists.
 */
export function readStackConfig(): StackConfig {
  try {
    return validateStackConfig(readRawStackConfig());
  } catch (error) {
    if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

/** A secret config value as a Pulumi secret; opaque values become a placeholder nobody can read. */
export function secretInput(value: SecretValue): pulumi.Output<string> {
  return pulumi.secret(value.kind === "plain" ? value.value : "opaque-secret");
}
