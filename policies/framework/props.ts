/**
 * Reading resource properties during a preview. The policy SDK hands rules a proxy that throws
 * on any value not known yet; a rule must neither crash nor report a violation it cannot prove,
 * so every read goes through {@link read}, which turns "not known yet" into {@link UNKNOWN}.
 */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Maybe<T> = T | undefined | typeof UNKNOWN;

// The values the engine and the policy SDK use for "unknown"; a raw plan or state may carry them too.
const UNKNOWN_SENTINELS = new Set<unknown>([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (and the engine's generic unknown)
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

function isUnknownError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as Error).constructor?.name === "UnknownValueError";
}

/** Reads `path` (dot-separated) from props; UNKNOWN when any step is not known yet. */
export function read(props: unknown, path: string): unknown {
  let current: unknown = props;
  for (const step of path.split(".")) {
    if (current === UNKNOWN) return UNKNOWN;
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    try {
      current = (current as Record<string, unknown>)[step];
    } catch (error) {
      if (isUnknownError(error)) return UNKNOWN;
      throw error;
    }
    if (UNKNOWN_SENTINELS.has(current) || (typeof current === "object" && current !== null && "__pulumiUnknown" in current)) {
      return UNKNOWN;
    }
  }
  return current;
}

export function readString(props: unknown, path: string): Maybe<string> {
  const v = read(props, path);
  if (v === UNKNOWN) return UNKNOWN;
  return typeof v === "string" ? v : undefined;
}

/** True when the value is set to something (known or not): "" and null count as not set. */
export function isSet(value: unknown): boolean {
  return value === UNKNOWN || (value !== undefined && value !== null && value !== "");
}

/** Stack name from a URN (`urn:pulumi:<stack>::<project>::…`). */
export function stackOfUrn(urn: string): string {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";
}

/** Elements of an array-valued prop; UNKNOWN when the array or any element is not known yet. */
export function readArray(props: unknown, path: string): Maybe<unknown[]> {
  const v = read(props, path);
  if (v === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(v)) return undefined;
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const element = read(v, String(i));
    if (element === UNKNOWN) return UNKNOWN;
    out.push(element);
  }
  return out;
}

/** Subscription id from an ARM resource id. */
export function subscriptionOf(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1]?.toLowerCase();
}
