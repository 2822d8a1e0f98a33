import { StackConfigError, validateStackConfig } from "../../config/stackConfig";
import { RawStackConfig, SecretValue } from "../../config/stackConfigTypes";
import { apnsP8, fcmPrivateKeyPem } from "./keys";

/** A stack configuration that validates: both platforms, function delivery, the required tags. */
export function validInput(): RawStackConfig {
  return {
    values: {
      location: "westeurope",
      namePrefix: "acsnotif-dev",
      dataLocation: "Europe",
      hubSku: "Free",
      tags: { environment: "dev", owner: "platform-team", costCenter: "CC-1234" },
      apns: { keyId: "ABCDE12345", teamId: "TEAM123456", bundleId: "com.contoso.chat", environment: "sandbox" },
      fcm: { projectId: "contoso-chat-dev", clientEmail: "acs-push@contoso-chat-dev.iam.gserviceaccount.com" },
    },
    secrets: { apnsToken: { kind: "plain", value: apnsP8 }, fcmPrivateKey: { kind: "plain", value: fcmPrivateKeyPem } },
    plaintextSecretKeys: [],
  };
}

/** The valid input with settings changed; `undefined` removes a setting. */
export function inputWith(
  values: Record<string, unknown> = {},
  secrets: Record<string, SecretValue | undefined> = {},
  extra: Partial<Pick<RawStackConfig, "plaintextSecretKeys" | "encryptedPlainKeys" | "otherNamespaceKeys">> = {},
): RawStackConfig {
  const base = validInput();
  const mergedValues: Record<string, unknown> = { ...base.values, ...values };
  for (const [k, v] of Object.entries(values)) if (v === undefined) delete mergedValues[k];
  const mergedSecrets: Record<string, SecretValue> = { ...base.secrets } as Record<string, SecretValue>;
  for (const [k, v] of Object.entries(secrets)) {
    if (v === undefined) delete mergedSecrets[k];
    else mergedSecrets[k] = v;
  }
  return { ...base, ...extra, values: mergedValues, secrets: mergedSecrets };
}

/** Every problem validation reports, by key without the project's namespace; none when it validates. */
export function configProblems(input: RawStackConfig): Record<string, string[]> {
  try {
    validateStackConfig(input);
    return {};
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    const byKey: Record<string, string[]> = {};
    for (const p of error.problems) (byKey[p.key.replace(/^acs-notifications:/, "")] ??= []).push(p.message);
    return byKey;
  }
}
