import * as fs from "node:fs";
import { parseDocument } from "yaml";

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

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new FileReadError(
      code === "ENOENT"
        ? `${what} ${file} does not exist.`
        : code === "EISDIR"
          ? `${what} ${file} is a directory, not a file.`
          : `${what} ${file} cannot be read (${code ?? "error"}).`,
    );
  }
}

/** Parses YAML; a syntax error names file, line, column and the kind of problem. */
export function readYamlFile(file: string, what = "the file"): unknown {
  const text = readText(file, what);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    // linePos is only filled in with prettyErrors, which quotes the text; the offset is enough.
    const at = error.linePos?.[0] ?? (typeof error.pos?.[0] === "number" ? lineColumn(text, error.pos[0]) : undefined);
    const where = at ? `${file}:${at.line}:${at.col}` : file;
    throw new FileReadError(
      `${where}: ${what} is not valid YAML: ${YAML_PROBLEMS[error.code] ?? "a syntax error"} (the content is not shown).`,
    );
  }
  return doc.toJS();
}

/** Where in a text an offset falls, 1-based. */
function lineColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, col: lines[lines.length - 1].length + 1 };
}

/** Parses JSON; a syntax error names file, line, column — never the text around it. */
export function readJsonFile(file: string, what = "the file"): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
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
      `${at ? `${file}:${at.line}:${at.col}` : file}: ${what} is not valid JSON: ${kind} (the content is not shown).`,
    );
  }
}
