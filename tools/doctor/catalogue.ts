import { PUSH_FUNCTION_NAME, SETTINGS } from "../../function/src/contract";

/** What a check found: pass, warn, fail, or skip (could not check, and why). */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  readonly evidence: string;
  readonly fix?: string;
}

/**
 * Every check the doctor runs, in report order: its id (stable, for readers of `--json`), its
 * title, and the case of ACS's push troubleshooting guide it covers, when it covers one.
 */
export const CHECKS = {
  inputs: { title: "resource ids" },
  "same-subscription": { title: "hub and ACS in one subscription", guideCase: 6 },
  "acs-linked": { title: "ACS linked to a hub", guideCase: 1 },
  "event-grid-topic": { title: "one Event Grid system topic on ACS" },
  "hub-exists": { title: "linked hub exists", guideCase: 3 },
  "hub-credentials": { title: "hub has platform credentials", guideCase: 2 },
  "apns-token-mode": { title: "APNs in token mode", guideCase: 4 },
  "apns-bundle-id": { title: "APNs bundle id is the app's" },
  "apns-endpoint": { title: "APNs gateway matches the environment" },
  "fcm-v1": { title: "FCM v1 configured" },
  "send-rule": { title: "Send rule exists with Send", guideCase: 5 },
  "link-current": { title: "linked connection string is current", guideCase: 7 },
  "registration-rule": { title: "registration rule is Listen-only" },
  "hub-metrics": { title: "hub traffic" },
  "event-delivery": { title: "Event Grid delivery to the push sender" },
  "function-failures": { title: "push sender invocations" },
  "function-registered": { title: `push sender's ${PUSH_FUNCTION_NAME} function is registered` },
  "hub-secret-reference": { title: `${SETTINGS.connectionString} resolves from Key Vault` },
  "dead-letters": { title: "dead-letter records in the window" },
} as const satisfies Record<string, { title: string; guideCase?: number }>;

export type CheckId = keyof typeof CHECKS;

/** A check's result, titled from the catalogue; a fix only where there is something to do. */
export function verdict(id: CheckId, status: CheckStatus, evidence: string, fix?: string): CheckResult {
  const result = { id, title: CHECKS[id].title, status, evidence };
  return fix === undefined ? result : { ...result, fix };
}
