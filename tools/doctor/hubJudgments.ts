import { sameResourceId } from "../../azure/armResourceId";
import { APNS_CERTIFICATE_FIELDS, APNS_TOKEN_FIELDS, apnsEnvironmentOf, apnsHostOf, ApnsEnvironment } from "../../azure/apns";
import { HUB_FAILURE_CATEGORIES, HUB_METRICS } from "../../azure/pushMetrics";
import { CheckId, CheckResult, verdict } from "./catalogue";

/*
 * Judging the hub side of the troubleshooting guide: pure functions from what Azure said to a
 * verdict with its evidence and fix. checks.ts gathers the facts and calls them.
 */

/** Case 6: ACS links only hubs of its own subscription. */
export function judgeSameSubscription(acsSubscription: string, hubSubscription: string): CheckResult {
  return acsSubscription.toLowerCase() === hubSubscription.toLowerCase()
    ? verdict("same-subscription", "pass", `both in ${acsSubscription}`)
    : verdict(
        "same-subscription",
        "fail",
        `ACS in ${acsSubscription}, hub in ${hubSubscription}`,
        "ACS only links hubs of its own subscription: create the hub there",
      );
}

/** Case 1: the ACS resource is linked, and to the stack's hub. */
export function judgeLink(acsName: string, linkedHubId: string, expectedHubId: string, hubName: string): CheckResult {
  if (!linkedHubId)
    return verdict(
      "acs-linked",
      "fail",
      `${acsName} has no linked notification hub`,
      "run `pulumi up` (the NotificationHubLink resource links it); after `pulumi refresh` the link shows as drift",
    );
  if (!sameResourceId(linkedHubId, expectedHubId))
    return verdict(
      "acs-linked",
      "fail",
      `${acsName} is linked to ${linkedHubId}, not to ${expectedHubId}`,
      "run `pulumi up` to link the expected hub again (someone changed the link outside Pulumi)",
    );
  return verdict("acs-linked", "pass", `${acsName} → ${hubName}`);
}

/** A hub's PNS credentials as the API returns them: each platform's fields under `properties`. */
export interface PnsCredentials {
  apnsCredential?: { properties?: Record<string, string | undefined> };
  fcmV1Credential?: { properties?: Record<string, string | undefined> };
  gcmCredential?: { properties?: Record<string, string | undefined> };
  [platform: string]: unknown;
}

/** Cases 2 and 4: platform credentials at all, APNs in token mode at the right gateway, FCM v1 rather than GCM. */
export function judgeCredentials(pns: PnsCredentials, apnsEnvironment?: ApnsEnvironment): CheckResult[] {
  const results: CheckResult[] = [];
  const apns = pns.apnsCredential?.properties;
  const fcm = pns.fcmV1Credential?.properties;
  const configured = Object.keys(pns).filter((k) => k.endsWith("Credential") && pns[k]);
  results.push(
    apns || fcm
      ? verdict("hub-credentials", "pass", `configured: ${configured.join(", ")}`)
      : verdict(
          "hub-credentials",
          "fail",
          "no APNs or FCM v1 credentials: ACS pushes are accepted and never delivered",
          "configure apns/apnsToken and/or fcm/fcmPrivateKey in the stack and run `pulumi up`",
        ),
  );
  if (apns) {
    const certificate = APNS_CERTIFICATE_FIELDS.filter((f) => apns[f]);
    const missing = APNS_TOKEN_FIELDS.map(([field]) => field).filter((f) => !apns[f]);
    results.push(
      certificate.length > 0
        ? verdict(
            "apns-token-mode",
            "fail",
            `APNs is in certificate mode (${certificate.join(", ")} set), which ACS does not support`,
            "switch to a .p8 key: set apns + apnsToken and run `pulumi up`",
          )
        : missing.length > 0
          ? verdict(
              "apns-token-mode",
              "fail",
              `APNs token credential lacks ${missing.join(", ")}`,
              "set every apns field and apnsToken, then `pulumi up`",
            )
          : verdict("apns-token-mode", "pass", `token mode, key ${apns.keyId}, team ${apns.appId}, bundle ${apns.appName}`),
    );
    // ACS sends chat alerts and calling VoIP pushes through the linked hub with the app's plain
    // bundle id; a hub set up for a back end's own VoIP pushes (".voip") breaks the alerts.
    if (typeof apns.appName === "string" && apns.appName.toLowerCase().endsWith(".voip")) {
      results.push(
        verdict(
          "apns-bundle-id",
          "warn",
          `the linked hub's APNs bundle id is ${apns.appName}`,
          "ACS pushes through the linked hub with the app's own bundle id: set apns.bundleId without .voip (a back end's own VoIP pushes need a separate hub)",
        ),
      );
    }
    if (apnsEnvironment && apns.endpoint) {
      const ok = apnsEnvironmentOf(apns.endpoint) === apnsEnvironment;
      results.push(
        verdict(
          "apns-endpoint",
          ok ? "pass" : "fail",
          `${apnsHostOf(apns.endpoint)} for a ${apnsEnvironment} environment`,
          ok
            ? undefined
            : `set apns.environment: ${apnsEnvironment} and run \`pulumi up\` (development builds need the sandbox, store builds production)`,
        ),
      );
    }
  } else {
    results.push(
      verdict(
        "apns-token-mode",
        "warn",
        "no APNs credential: iOS devices get no pushes",
        "configure apns + apnsToken if the app ships on iOS",
      ),
    );
  }
  if (fcm) results.push(verdict("fcm-v1", "pass", `project ${fcm.projectId ?? "?"}`));
  else if (pns.gcmCredential)
    results.push(
      verdict(
        "fcm-v1",
        "fail",
        "only a legacy GCM/FCM server key, which Google no longer accepts",
        "configure fcm + fcmPrivateKey (FCM v1) and run `pulumi up`",
      ),
    );
  else
    results.push(
      verdict(
        "fcm-v1",
        "warn",
        "no FCM v1 credential: Android devices get no pushes",
        "configure fcm + fcmPrivateKey if the app ships on Android",
      ),
    );
  return results;
}

/** A hub rule that must grant exactly one right: fail without it, warn with more, pass otherwise. */
export function singleRightVerdict(
  id: CheckId,
  ruleName: string,
  rights: readonly string[],
  right: "Send" | "Listen",
  fixes: { missing: string; extra: string },
): CheckResult {
  const extra = rights.filter((r) => r !== right);
  if (!rights.includes(right))
    return verdict(id, "fail", `rule ${ruleName} grants ${rights.join(", ") || "nothing"}, not ${right}`, fixes.missing);
  if (extra.length > 0) return verdict(id, "warn", `rule ${ruleName} grants ${right} and also ${extra.join(", ")}`, fixes.extra);
  return verdict(id, "pass", `rule ${ruleName}: ${right} only`);
}

/** The rule a link should use when the outputs do not name it: the one granting Send without Manage. */
export function sendRuleAmong(rules: readonly { name?: string; rights?: string[] }[]): string | undefined {
  return rules.find((r) => (r.rights ?? []).includes("Send") && !(r.rights ?? []).includes("Manage"))?.name;
}

/** Case 7: the link holds the rule's current key (compared by fingerprint, never by value). */
export function judgeLinkCurrent(linkedFingerprint: string, currentFingerprint: string): CheckResult {
  return currentFingerprint === linkedFingerprint
    ? verdict("link-current", "pass", `fingerprint ${currentFingerprint} matches the link`)
    : verdict(
        "link-current",
        "fail",
        `the rule's key was regenerated: link has ${linkedFingerprint}, the rule now ${currentFingerprint || "no key"}`,
        "run `pulumi up`: the link follows the rule's connection string and re-links",
      );
}

/** The guide's first place to look: what reached the hub, what it delivered, and why the rest failed. */
export function judgeHubTraffic(totals: ReadonlyMap<string, number>, sinceHours: number): CheckResult {
  const incoming = totals.get(HUB_METRICS.incoming.name) ?? 0;
  const delivered = totals.get(HUB_METRICS.delivered.name) ?? 0;
  const failures = Object.entries(HUB_FAILURE_CATEGORIES)
    .map(([label, metrics]) => [label, metrics.reduce((s, m) => s + (totals.get(m.name) ?? 0), 0)] as const)
    .filter(([, count]) => count > 0);
  const breakdown = failures.map(([label, count]) => `${label} ${count}`).join(", ");
  const evidence = `last ${sinceHours}h: ${incoming} incoming, ${delivered} delivered${breakdown ? `; failed: ${breakdown}` : ""}`;
  if (incoming === 0)
    return verdict(
      "hub-metrics",
      "warn",
      evidence,
      "nothing reached the hub: check the link (above), the push sender's logs and that apps registered installations",
    );
  if (delivered === 0)
    return verdict(
      "hub-metrics",
      "fail",
      evidence,
      failures.some(([label]) => label === "authentication errors")
        ? "the platforms reject the hub's credentials: renew the .p8 key / service account and `pulumi up`"
        : "pushes reach the hub and none is delivered: see the failure categories",
    );
  return failures.length > 0
    ? verdict("hub-metrics", "warn", evidence, "expired channels are normal churn; authentication or payload errors are not")
    : verdict("hub-metrics", "pass", evidence);
}
