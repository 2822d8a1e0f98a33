/**
 * The small kit every setting is read with: a problem list that names keys, and readers that
 * report what is wrong (never a secret) and return undefined instead of throwing, so validation
 * collects every problem in one pass.
 */
import { CONFIG_NAMESPACE, type ConfigProblem } from "./stackConfigTypes";

export const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;

/** Levenshtein distance, for "did you mean" on misspelt keys and namespaces. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate nearest to a misspelling, if it is near enough to be what was meant. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 4)) ? best.candidate : undefined;
}

/** Collects problems while reading; each reader returns undefined after reporting one. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];
  add(name: string, message: string): undefined {
    this.items.push({ key: key(name), message });
    return undefined;
  }
  addFullKey(fullKey: string, message: string): undefined {
    this.items.push({ key: fullKey, message });
    return undefined;
  }
}

export function describe(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 60 ? value.slice(0, 57) + "..." : value}'`;
  if (value === null) return "null";
  return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : String(value);
}

export function readString(
  problems: ProblemList,
  name: string,
  value: unknown,
  pattern: RegExp,
  expected: string,
): string | undefined {
  if (value === undefined || value === "") return problems.add(name, `is required: ${expected}.`);
  if (typeof value !== "string" || !pattern.test(value)) {
    return problems.add(name, `must be ${expected}; got ${describe(value)}.`);
  }
  return value;
}

export function readChoice<T extends string>(
  problems: ProblemList,
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T | undefined,
): T | undefined {
  if (value === undefined || (value === "" && fallback === undefined)) {
    return fallback ?? problems.add(name, `is required: one of ${choices.join(" | ")}.`);
  }
  // Set but empty is a mistake, not "use the default": a blank hubSku must not quietly become Free.
  if (value === "")
    return problems.add(
      name,
      `is empty: set one of ${choices.join(" | ")}${fallback ? `, or remove the key for ${fallback}` : ""}.`,
    );
  const match = typeof value === "string" ? choices.find((c) => c.toLowerCase() === value.toLowerCase()) : undefined;
  return match ?? problems.add(name, `must be one of ${choices.join(" | ")}; got ${describe(value)}.`);
}

export function readObject(problems: ProblemList, name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return problems.add(name, `must be an object (YAML mapping); got ${describe(value)}.`);
  }
  return value as Record<string, unknown>;
}

export function reportUnknownFields(problems: ProblemList, name: string, obj: Record<string, unknown>, known: string[]) {
  for (const field of Object.keys(obj)) {
    if (!known.includes(field)) {
      problems.add(`${name}.${field}`, `is not a known setting; expected only ${known.join(", ")}.`);
    }
  }
}

export function readBoolean(problems: ProblemList, name: string, value: unknown, fallback: boolean): boolean | undefined {
  if (value === undefined || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return problems.add(name, `must be true or false; got ${describe(value)}.`);
}

export function readInteger(
  problems: ProblemList,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    return problems.add(name, `must be a whole number from ${min} to ${max}; got ${describe(value)}.`);
  return n;
}
