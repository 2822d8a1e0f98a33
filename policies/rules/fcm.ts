import { resourceRule } from "../framework/policyDefinition";
import { isSet, read, UNKNOWN } from "../framework/props";
import { isHub, isNativeHub } from "../framework/resourceTypes";

/** Google shut the legacy FCM (GCM) API down in 2024: a hub with only a server key delivers nothing to Android. */
export const fcmV1Required = resourceRule(
  {
    name: "fcm-v1-required",
    description: "Android push must use FCM v1 service-account credentials, never a legacy GCM/FCM server key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    docs: {
      why: "Google shut the legacy FCM/GCM API down in 2024; a hub with a server key delivers nothing to Android.",
      checks: "no `gcmCredential`; an `fcmV1Credential` sets `projectId`, `clientEmail` and `privateKey`.",
      fix: "use a Firebase service account (this project's `fcm` + `fcmPrivateKey`, or `fcmServiceAccountJson`). Classic hubs cannot hold FCM v1 credentials at all: use azure-native for Android.",
    },
    remediationSteps:
      "Remove gcmCredential and set fcmV1Credential (projectId, clientEmail, privateKey) from a Firebase service account.",
  },
  isHub,
  (resource) => {
    const problems: string[] = [];
    const gcm = read(resource.props, "gcmCredential");
    if (gcm !== UNKNOWN && isSet(gcm)) {
      problems.push(
        `Notification hub '${resource.name}' sets a legacy GCM/FCM server key (gcmCredential), which Google no longer accepts: configure FCM v1 (fcmV1Credential) instead.`,
      );
    }
    if (isNativeHub(resource.type)) {
      const v1 = read(resource.props, "fcmV1Credential");
      if (v1 !== UNKNOWN && isSet(v1)) {
        const missing = ["projectId", "clientEmail", "privateKey"].filter((f) => !isSet(read(v1, f)));
        if (missing.length > 0)
          problems.push(`Notification hub '${resource.name}' FCM v1 credential must set ${missing.join(", ")}.`);
      }
    }
    return problems;
  },
);
