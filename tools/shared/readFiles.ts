import * as fs from "node:fs";
import { parseDocument, visit } from "yaml";
import { shownPath } from "./projectRoot";

/**
 * Reading the files the tools take (Pulumi.yaml, stack files, policy config, state exports,
 * outputs files) so that a broken file is reported by name, line and column and what is wrong —
 * never with its content: these files hold webhook URLs with keys and secrets in clear text, and
 * the messages end up in CI logs. Parsers' own messages quote the offending text, so they are
 * replaced here.
 */
export class FileReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileReadError";
  }
}

// The yaml package's error codes, in words (https://eemeli.org/yaml/#errors).
const YAML_PROBLEMS: Record<string, string> = {
  ALIAS_PROPS: "an alias cannot have properties",
  BAD_ALIAS: "a bad alias",
  BAD_DIRECTIVE: "a bad directive",
  BAD_DQ_ESCAPE: "a bad escape in a double-quoted string",
  BAD_INDENT: "bad indentation",
  BAD_PROP_ORDER: "anchor and tag in the wrong order",
  BAD_SCALAR_START: "a value that cannot start this way",
  BLOCK_AS_IMPLICIT_KEY: "a block used as a key",
  BLOCK_IN_FLOW: "a block inside a flow collection",
  DUPLICATE_KEY: "a duplicate key",
  IMPOSSIBLE: "an impossible structure",
  KEY_OVER_1024_CHARS: "a key over 1024 characters",
  MISSING_CHAR: "a missing character (an unclosed quote or bracket?)",
  MULTILINE_IMPLICIT_KEY: "a key spanning lines",
  MULTIPLE_ANCHORS: "several anchors on one node",
  MULTIPLE_DOCS: "more than one document",
  MULTIPLE_TAGS: "several tags on one node",
  TAB_AS_INDENT: "a tab used for indentation",
  TAG_RESOLVE_FAILED: "an unknown tag",
  UNEXPECTED_TOKEN: "an unexpected character",
};

/** The most any of the tools' files may hold unless the caller says otherwise (stack files, configs, outputs). */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Deeper than any configuration or state nests; a deeper file is refused by name, not by a stack overflow. */
export const MAX_NESTING = 200;

export interface ReadLimits {
  /** Refuse a file larger than this, before reading it whole (default {@link DEFAULT_MAX_FILE_BYTES}). */
  readonly maxBytes?: number;
}

function sizeInWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function unreadable(file: string, what: string, error: unknown): FileReadError {
  const code = (error as { code?: string }).code;
  return new FileReadError(
    code === "ENOENT"
      ? `${what} ${shownPath(file)} does not exist.`
      : code === "EISDIR"
        ? `${what} ${shownPath(file)} is a directory, not a file.`
        : `${what} ${shownPath(file)} cannot be read (${code ?? "error"}).`,
  );
}

/**
 * The one way the tools read a file: at most `maxBytes`, checked before the file is read whole
 * (its size when it has one) and while reading (a device or pipe such as /dev/zero has none).
 */
export function readBoundedText(file: string, what: string, limits: ReadLimits = {}): string {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const tooLarge = () =>
    new FileReadError(
      `${what} ${shownPath(file)} is larger than ${sizeInWords(maxBytes)}, the most this tool reads (the content is not shown).`,
    );
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    throw unreadable(file, what, error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw unreadable(file, what, { code: "EISDIR" });
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge();
    // A file says its size: one buffer of that size (and a byte more, to see a file that grew).
    // A device or pipe does not: chunks, counted as they come.
    const buffers: Buffer[] = [];
    let total = 0;
    let buffer = Buffer.allocUnsafe(stat.isFile() ? stat.size + 1 : Math.min(1024 * 1024, maxBytes + 1));
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge();
      buffers.push(buffer.subarray(0, read));
      if (read === buffer.length || !stat.isFile()) buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1));
      else buffer = buffer.subarray(read);
    }
    return (buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, total)).toString("utf8");
  } catch (error) {
    throw error instanceof FileReadError ? error : unreadable(file, what, error);
  } finally {
    fs.closeSync(fd);
  }
}

/** How deep a parsed value nests, counted without recursion (so a hostile file cannot overflow the stack). */
export function nestingDepth(value: unknown, limit = MAX_NESTING): number {
  if (typeof value !== "object" || value === null) return 0;
  // Only objects and arrays are stacked, with their depth beside them: one pass, no copies of keys.
  const pending: object[] = [value];
  const depths: number[] = [1];
  let deepest = 0;
  while (pending.length > 0) {
    const v = pending.pop()! as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    for (const key in v) {
      const child = v[key];
      if (typeof child === "object" && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}

function checkNesting(value: unknown, file: string, what: string): unknown {
  if (nestingDepth(value) > MAX_NESTING) {
    throw new FileReadError(
      `${shownPath(file)}: ${what} nests deeper than ${MAX_NESTING} levels, more than any real one (the content is not shown).`,
    );
  }
  return value;
}

/** Parses YAML; a syntax error names file, line, column and the kind of problem. */
export function readYamlFile(file: string, what = "the file", limits: ReadLimits = {}): unknown {
  const text = readBoundedText(file, what, limits);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    // linePos is only filled in with prettyErrors, which quotes the text; the offset is enough.
    const at = error.linePos?.[0] ?? (typeof error.pos?.[0] === "number" ? lineColumn(text, error.pos[0]) : undefined);
    const where = at ? `${shownPath(file)}:${at.line}:${at.col}` : shownPath(file);
    throw new FileReadError(
      `${where}: ${what} is not valid YAML: ${YAML_PROBLEMS[error.code] ?? "a syntax error"} (the content is not shown).`,
    );
  }
  // An alias is resolved when the document is turned into values, and the yaml package's message
  // quotes the alias — which in a stack file may be a secret mistyped after a '*'.
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (unresolved === undefined && node.resolve(doc) === undefined) unresolved = node.range?.[0] ?? 0;
    },
  });
  if (unresolved !== undefined) {
    const at = lineColumn(text, unresolved);
    throw new FileReadError(
      `${shownPath(file)}:${at.line}:${at.col}: ${what} is not valid YAML: an alias ('*' then a name) to no anchor; a value starting with '*' must be quoted (the content is not shown).`,
    );
  }
  let value: unknown;
  try {
    // Bounded, so that aliases of aliases cannot blow a small file up into a huge value.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new FileReadError(
      `${shownPath(file)}: ${what} is not valid YAML: its aliases expand too far or cannot be resolved (the content is not shown).`,
    );
  }
  return checkNesting(value, file, what);
}

/** Where in a text an offset falls, 1-based. */
function lineColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, col: lines[lines.length - 1].length + 1 };
}

/** Parses JSON; a syntax error names file, line, column — never the text around it. */
export function readJsonFile(file: string, what = "the file", limits: ReadLimits = {}): unknown {
  const text = readBoundedText(file, what, limits);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 says "… at position N" (and, in newer versions, "(line L column C)") after quoting the text.
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const at = lineCol
      ? { line: Number(lineCol[1]), col: Number(lineCol[2]) }
      : position
        ? lineColumn(text, Number(position[1]))
        : undefined;
    const endsEarly =
      /end of (JSON )?input/i.test(message) || (position !== null && Number(position[1]) >= text.trimEnd().length);
    const kind = endsEarly ? "it ends early (an unclosed bracket or string?)" : "an unexpected character";
    throw new FileReadError(
      `${at ? `${shownPath(file)}:${at.line}:${at.col}` : shownPath(file)}: ${what} is not valid JSON: ${kind} (the content is not shown).`,
    );
  }
  return checkNesting(value, file, what);
}
