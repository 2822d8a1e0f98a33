/** APNs (token mode) and FCM v1 credentials: the settings and secrets a push platform needs, checked before anything is created. */
import { APNS_CERTIFICATE_FIELDS, APNS_ENVIRONMENTS } from "../azure/apns";
import { normalizePemPrivateKey } from "../components/fcmPrivateKey";
import { ProblemList, readChoice, readObject, readString, reportUnknownFields } from "./readerKit";
import { type ApnsConfig, type FcmV1Config, type RawStackConfig, type SecretValue } from "./stackConfigTypes";

const APPLE_ID = /^[A-Z0-9]{10}$/;

const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

// A service account id (6-30 lowercase letters, digits, hyphens) at its project's IAM domain.
const SERVICE_ACCOUNT_EMAIL = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;

const PEM_PRIVATE_KEY = /^-----BEGIN PRIVATE KEY-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----\s*$/;

const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Turns a .p8 file's contents (PEM, or the body alone) into the single-line base64 body.
 * The hub's `token` field holds the key body; accepting both forms means a user can pipe
 * the file straight into `pulumi config set --secret`. Returns undefined when it is neither.
 */
export function normalizeApnsToken(raw: string): string | undefined {
  const trimmed = raw.trim();
  const pem = PEM_PRIVATE_KEY.exec(trimmed);
  // Stryker disable next-line Regex: equivalent — a global replace of one whitespace character at a time removes the same text.
  const body = (pem ? pem[1] : trimmed).replace(/\s+/g, "");
  return body.length >= 64 && BASE64_BODY.test(body) ? body : undefined;
}

function isPemPrivateKey(raw: string): boolean {
  const pem = PEM_PRIVATE_KEY.exec(normalizePemPrivateKey(raw).trim());
  // Stryker disable next-line Regex: equivalent — a global replace of one whitespace character at a time removes the same text.
  return pem !== null && pem[1].replace(/\s+/g, "").length >= 64;
}

/** Where an APNs credential's settings live: the one-app keys, or an app's entry under `apps`. */
export interface ApnsKeys {
  /** The object's key, as problems name it: `apns` or `apps[1].apns`. */
  readonly object: string;
  /** The secret's key: `apnsToken`, or `appSecrets.<app>.apnsToken`. */
  readonly token: string;
  /** How to set the secret, for the problem that says it is missing. */
  readonly setToken: string;
}

const ONE_APP_APNS: ApnsKeys = {
  object: "apns",
  token: "apnsToken",
  setToken: "pulumi config set --secret acs-notifications:apnsToken < AuthKey_KEYID.p8",
};

export function readApns(problems: ProblemList, raw: RawStackConfig): ApnsConfig | undefined {
  const token = raw.secrets.apnsToken;
  if (raw.values.apns === undefined) {
    if (token) problems.add("apns", "is required when apnsToken is set: { keyId, teamId, bundleId, environment }.");
    return undefined;
  }
  return readApnsCredential(problems, ONE_APP_APNS, raw.values.apns, token);
}

/** An APNs token credential from its object and its secret, wherever they are configured. */
export function readApnsCredential(
  problems: ProblemList,
  keys: ApnsKeys,
  value: unknown,
  token: SecretValue | undefined,
): ApnsConfig | undefined {
  const obj = readObject(problems, keys.object, value);
  if (!obj) return undefined;
  reportUnknownFields(problems, keys.object, obj, ["keyId", "teamId", "bundleId", "environment"]);
  // A hub's certificate-mode fields pasted into the config.
  if (APNS_CERTIFICATE_FIELDS.some((field) => obj[field] !== undefined)) {
    problems.add(keys.object, "uses certificate authentication, which ACS push does not support: use a .p8 token key.");
  }
  const keyId = readString(
    problems,
    `${keys.object}.keyId`,
    obj.keyId,
    APPLE_ID,
    "the 10-character Key ID of the APNs auth key (A-Z, 0-9)",
  );
  const teamId = readString(problems, `${keys.object}.teamId`, obj.teamId, APPLE_ID, "the 10-character Apple Team ID (A-Z, 0-9)");
  const bundleId = readString(
    problems,
    `${keys.object}.bundleId`,
    obj.bundleId,
    BUNDLE_ID,
    "the app's bundle id, like com.contoso.chat",
  );
  const environment = readChoice(problems, `${keys.object}.environment`, obj.environment, APNS_ENVIRONMENTS, undefined);
  const normalizedToken = readApnsToken(problems, keys, token);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (!keyId || !teamId || !bundleId || !environment || !normalizedToken) return undefined;
  return { keyId, teamId, bundleId, environment, token: normalizedToken };
}

function readApnsToken(problems: ProblemList, keys: ApnsKeys, token: SecretValue | undefined): SecretValue | undefined {
  if (!token) return problems.add(keys.token, `is required when ${keys.object} is set; set it with: ${keys.setToken}.`);
  if (token.kind === "opaque") return token;
  const body = normalizeApnsToken(token.value);
  if (!body) {
    return problems.add(
      keys.token,
      "must be the contents of an APNs .p8 auth key (-----BEGIN PRIVATE KEY----- …); the value is not shown.",
    );
  }
  return { kind: "plain", value: body };
}

interface ServiceAccount {
  projectId: unknown;
  clientEmail: unknown;
  privateKey: SecretValue;
}

function parseServiceAccount(problems: ProblemList, secret: SecretValue): ServiceAccount | undefined {
  const name = "fcmServiceAccountJson";
  if (secret.kind === "opaque") {
    // The JSON cannot be seen offline; its fields are checked when the stack really runs.
    return { projectId: "opaque-project", clientEmail: "opaque@opaque-project.iam.gserviceaccount.com", privateKey: secret };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.value);
  } catch {
    return problems.add(
      name,
      "must be the JSON key file of a Firebase service account; it is not valid JSON (the value is not shown).",
    );
  }
  if (typeof parsed !== "object" || parsed === null) {
    return problems.add(name, "must be a JSON object (the service account key file).");
  }
  const sa = parsed as Record<string, unknown>;
  if (sa.type !== "service_account") {
    problems.add(name, `must be a service account key file ("type": "service_account").`);
  }
  const privateKey = typeof sa.private_key === "string" ? sa.private_key : "";
  return { projectId: sa.project_id, clientEmail: sa.client_email, privateKey: { kind: "plain", value: privateKey } };
}

/** Where an FCM v1 credential's settings live under `apps`: its object and its private key secret. */
export interface FcmKeys {
  readonly object: string;
  readonly privateKey: string;
  readonly setPrivateKey: string;
}

/** An app's FCM v1 credential: `{ projectId, clientEmail }` and its private key secret. */
export function readFcmCredential(
  problems: ProblemList,
  keys: FcmKeys,
  value: unknown,
  privateKey: SecretValue | undefined,
): FcmV1Config | undefined {
  const obj = readObject(problems, keys.object, value);
  if (!obj) return undefined;
  reportUnknownFields(problems, keys.object, obj, ["projectId", "clientEmail"]);
  if (!privateKey)
    return problems.add(keys.privateKey, `is required when ${keys.object} is set; set it with: ${keys.setPrivateKey}.`);
  return checkServiceAccount(
    problems,
    { projectId: `${keys.object}.projectId`, clientEmail: `${keys.object}.clientEmail`, privateKey: keys.privateKey },
    {
      projectId: obj.projectId,
      clientEmail: obj.clientEmail,
      privateKey,
    },
  );
}

export function readFcm(problems: ProblemList, raw: RawStackConfig): FcmV1Config | undefined {
  const json = raw.secrets.fcmServiceAccountJson;
  const privateKeySecret = raw.secrets.fcmPrivateKey;
  const obj = readObject(problems, "fcm", raw.values.fcm);
  if (json && (obj || privateKeySecret)) {
    problems.add("fcmServiceAccountJson", "cannot be combined with fcm / fcmPrivateKey: configure FCM v1 one way only.");
    return undefined;
  }
  let source: ServiceAccount | undefined;
  let prefix: string;
  if (json) {
    source = parseServiceAccount(problems, json);
    prefix = "fcmServiceAccountJson";
  } else if (obj) {
    reportUnknownFields(problems, "fcm", obj, ["projectId", "clientEmail"]);
    if (obj.googleApiKey !== undefined || obj.serverKey !== undefined) {
      problems.add(
        "fcm",
        "holds a legacy FCM server key, which Google shut down in 2024: use FCM v1 service account credentials.",
      );
    }
    if (!privateKeySecret) {
      problems.add(
        "fcmPrivateKey",
        "is required when fcm is set; set it with: pulumi config set --secret acs-notifications:fcmPrivateKey < key.pem.",
      );
      return undefined;
    }
    source = { projectId: obj.projectId, clientEmail: obj.clientEmail, privateKey: privateKeySecret };
    prefix = "fcm";
  } else {
    // (An fcm that is set but not an object was reported above; this is for a missing one.)
    if (privateKeySecret && raw.values.fcm === undefined)
      problems.add("fcm", "is required when fcmPrivateKey is set: { projectId, clientEmail }.");
    return undefined;
  }
  if (!source) return undefined;
  const keyName = (field: string, jsonField: string) => (json ? `${prefix}.${jsonField}` : `${prefix}.${field}`);
  return checkServiceAccount(
    problems,
    {
      projectId: keyName("projectId", "project_id"),
      clientEmail: keyName("clientEmail", "client_email"),
      privateKey: json ? "fcmServiceAccountJson.private_key" : "fcmPrivateKey",
    },
    source,
  );
}

/** A service account's fields checked, problems named by the keys they came from. */
function checkServiceAccount(
  problems: ProblemList,
  names: { projectId: string; clientEmail: string; privateKey: string },
  source: ServiceAccount,
): FcmV1Config | undefined {
  const projectId = readString(
    problems,
    names.projectId,
    source.projectId,
    GCP_PROJECT_ID,
    "a Firebase/Google Cloud project id (6-30 lowercase letters, digits, hyphens)",
  );
  const clientEmail = readString(
    problems,
    names.clientEmail,
    source.clientEmail,
    SERVICE_ACCOUNT_EMAIL,
    "a service account email ending in .iam.gserviceaccount.com",
  );
  if (source.privateKey.kind === "plain" && !isPemPrivateKey(source.privateKey.value)) {
    problems.add(names.privateKey, "must be a PEM private key (-----BEGIN PRIVATE KEY----- …); the value is not shown.");
    return undefined;
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (!projectId || !clientEmail) return undefined;
  const privateKey: SecretValue =
    source.privateKey.kind === "plain"
      ? { kind: "plain", value: normalizePemPrivateKey(source.privateKey.value) }
      : source.privateKey;
  return { projectId, clientEmail, privateKey };
}
