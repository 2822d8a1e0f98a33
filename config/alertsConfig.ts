/** Alerts: whether they are on and who receives them. */
import { describe, ProblemList, readBoolean, readObject, reportUnknownFields } from "./readerKit";
import { type AlertsConfig, type RawStackConfig } from "./stackConfigTypes";

// Azure Monitor: an action group holds at most 1,000 email receivers; an address is at most 254 characters (RFC 5321).
const MAX_ALERT_EMAILS = 1000;

const MAX_EMAIL_LENGTH = 254;

// RFC 5322's dot-atom local part at a DNS host name: what Azure Monitor's email receivers take.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

function readEmails(problems: ProblemList, list: readonly unknown[]): string[] {
  if (list.length > MAX_ALERT_EMAILS) {
    problems.add("alerts.emails", `has ${list.length} addresses; an action group takes at most ${MAX_ALERT_EMAILS}.`);
  }
  const seen = new Set<string>();
  list.forEach((e, i) => {
    if (typeof e !== "string" || e.length > MAX_EMAIL_LENGTH || !EMAIL.test(e)) {
      problems.add(
        `alerts.emails[${i}]`,
        `must be an email address of at most ${MAX_EMAIL_LENGTH} characters; got ${describe(e)}.`,
      );
    } else if (seen.has(e.toLowerCase())) {
      problems.add(`alerts.emails[${i}]`, `repeats ${describe(e)}; each address once.`);
    } else {
      seen.add(e.toLowerCase());
    }
  });
  // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent — a list with a non-string entry was reported above, so validation throws.
  return list.filter((e): e is string => typeof e === "string");
}

export function readAlerts(problems: ProblemList, raw: RawStackConfig): AlertsConfig | undefined {
  const webhook = raw.secrets.alertWebhookUrl;
  if (webhook?.kind === "plain" && !/^https:\/\/[^\s/]+/.test(webhook.value))
    problems.add("alertWebhookUrl", "must be an https URL (the value is not shown).");
  if (raw.values.alerts === undefined) {
    if (webhook) problems.add("alertWebhookUrl", "is only used when alerts.enabled is true.");
    return { enabled: false, emails: [] };
  }
  const obj = readObject(problems, "alerts", raw.values.alerts);
  if (!obj) return undefined;
  reportUnknownFields(problems, "alerts", obj, ["enabled", "emails"]);
  const enabled = readBoolean(problems, "alerts.enabled", obj.enabled, false);
  let emails: string[] = [];
  if (obj.emails !== undefined) {
    if (!Array.isArray(obj.emails)) {
      problems.add("alerts.emails", `must be a list of email addresses; got ${describe(obj.emails)}.`);
    } else {
      emails = readEmails(problems, obj.emails as unknown[]);
    }
  }
  if (enabled && emails.length === 0 && !webhook) {
    problems.add("alerts", "enables alerts without a receiver: add alerts.emails or set alertWebhookUrl (secret).");
  }
  // Stryker disable next-line ConditionalExpression: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (enabled === undefined) return undefined;
  return { enabled, emails, webhookUrl: webhook };
}
