import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * Exemptions: one resource, one rule, a justification and an expiry date, declared in the pack's
 * config (`--policy-pack-config`), where a platform team reviews them like any other change.
 *
 *   "apns-endpoint-matches-environment": {
 *     "exemptions": [{ "resource": "acsnotif-staging-hub", "justification": "…", "expires": "2027-01-31" }]
 *   }
 *
 * `resource` is the resource's logical name or its full URN. An exemption applies through the end
 * of its `expires` day (UTC); after that the violation is reported again, saying the exemption expired.
 */
export interface Exemption {
  readonly resource: string;
  readonly justification: string;
  readonly expires: string;
}

export const exemptionsSchema: PolicyConfigSchema["properties"][string] = {
  type: "array",
  description: "Resources exempted from this rule, each with a justification and an expiry date (YYYY-MM-DD).",
  items: {
    type: "object",
    properties: {
      resource: { type: "string", minLength: 1, description: "Logical name or URN of the exempted resource." },
      justification: {
        type: "string",
        // Ten characters that are not spaces: a justification of blanks says nothing to a reviewer.
        pattern: "^(\\s*\\S){10}",
        description: "Why the exemption is acceptable, for the reviewer (at least 10 characters besides spaces).",
      },
      expires: {
        type: "string",
        pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$",
        description: "Last day (UTC) the exemption applies: a real date, YYYY-MM-DD.",
      },
    },
    required: ["resource", "justification", "expires"],
    additionalProperties: false,
  },
};

export type ExemptionVerdict =
  { kind: "none" } | { kind: "exempt"; exemption: Exemption } | { kind: "expired"; exemption: Exemption };

/** Whether a YYYY-MM-DD string names a day of the calendar (2099-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * What is wrong with a rule's exemptions beyond their schema, each a sentence naming it: a date
 * that is no day, two exemptions of one resource (which one would apply?).
 */
export function exemptionProblems(rule: string, exemptions: readonly Exemption[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  exemptions.forEach((e, i) => {
    if (!isCalendarDate(e.expires))
      problems.push(`${rule}.exemptions[${i}].expires: must be a real date (YYYY-MM-DD); it names no day.`);
    if (seen.has(e.resource))
      problems.push(
        `${rule}.exemptions[${i}]: a second exemption of '${e.resource.slice(0, 80)}'; keep one per resource and rule.`,
      );
    seen.add(e.resource);
  });
  return problems;
}

function matches(exemption: Exemption, urn: string, name: string): boolean {
  return exemption.resource === urn || exemption.resource === name;
}

/** Whether a violation on this resource is exempted today. `now` is injectable for tests. */
export function exemptionFor(
  exemptions: readonly Exemption[] | undefined,
  urn: string,
  name: string,
  now: Date = new Date(),
): ExemptionVerdict {
  // An exemption whose date is no day never applies (the tools refuse such a config outright).
  const found = exemptions?.filter((e) => matches(e, urn, name) && isCalendarDate(e.expires));
  if (!found?.length) return { kind: "none" };
  const today = now.toISOString().slice(0, 10);
  const valid = found.find((e) => e.expires >= today);
  return valid ? { kind: "exempt", exemption: valid } : { kind: "expired", exemption: found[0] };
}

/** Name of the resource a URN points at (its last segment). */
export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}
