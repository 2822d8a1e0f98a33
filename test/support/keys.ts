import { generateKeyPairSync } from "node:crypto";

/** Real keys of the right shape, made fresh for each run: an EC P-256 key like an APNs .p8, an RSA key like a Firebase one. */
export const apnsP8 = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
export const fcmPrivateKeyPem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

export function serviceAccountJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "service_account",
    project_id: "contoso-chat-dev",
    private_key_id: "0123456789abcdef",
    private_key: fcmPrivateKeyPem,
    client_email: "acs-push@contoso-chat-dev.iam.gserviceaccount.com",
    ...overrides,
  });
}
