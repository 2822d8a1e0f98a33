/**
 * Inputs of the project's dynamic providers as the engine hands them over: during a preview an
 * input that is not known yet arrives as this placeholder (Pulumi's `runtime.unknownValue`), not
 * as a value to validate or act on. A literal, not the SDK's constant: the providers are
 * serialized with their closures, which then need not capture the SDK to compare a string.
 */
export const UNKNOWN_INPUT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A string input whose value is known (not the preview's placeholder). */
export const isKnownString = (v: unknown): v is string => typeof v === "string" && v !== UNKNOWN_INPUT;
