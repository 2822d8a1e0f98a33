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
      justification: { type: "string", minLength: 10, description: "Why the exemption is acceptable, for the reviewer." },
      expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Last day (UTC) the exemption applies." },
    },
    required: ["resource", "justification", "expires"],
    additionalProperties: false,
  },
};

export type ExemptionVerdict =
  { kind: "none" } | { kind: "exempt"; exemption: Exemption } | { kind: "expired"; exemption: Exemption };

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
  const found = exemptions?.filter((e) => matches(e, urn, name));
  if (!found?.length) return { kind: "none" };
  const today = now.toISOString().slice(0, 10);
  const valid = found.find((e) => e.expires >= today);
  return valid ? { kind: "exempt", exemption: valid } : { kind: "expired", exemption: found[0] };
}

/** Name of the resource a URN points at (its last segment). */
export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}
