import * as path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { processIO, ToolIO } from "./toolMain";

/**
 * The command-line conventions the tools share (`plan`, `policy`, `doctor`): `--help`/`-h` prints
 * usage and exits 0; an unknown flag or a missing value is named with the usage and exits 2;
 * relative paths are taken from the directory the user ran npm in; with `--json`, errors are JSON
 * too. Exit codes: 0 ok, 1 the check failed or the run could not complete, 2 bad usage.
 */
export type CliOptions = NonNullable<ParseArgsConfig["options"]>;

export type CliParse<V> =
  { kind: "help"; text: string } | { kind: "usage-error"; message: string } | { kind: "ok"; values: V; positionals: string[] };

export function parseCli<V>(argv: readonly string[], options: CliOptions, usage: string, allowPositionals = false): CliParse<V> {
  if (argv.includes("--help") || argv.includes("-h")) return { kind: "help", text: usage };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals, strict: true });
    return { kind: "ok", values: values as V, positionals };
  } catch (error) {
    return { kind: "usage-error", message: `${describeParseError(error as Error & { code?: string }, argv)}\n${usage}` };
  }
}

/** For arguments that did not parse into work: prints usage for --help (exit 0) or names the usage error (exit 2). */
export function exitWithoutWork(
  parsed: Exclude<CliParse<unknown>, { kind: "ok" }>,
  json = false,
  io: ToolIO = processIO,
): number {
  if (parsed.kind === "help") {
    io.out(parsed.text);
    return 0;
  }
  reportError(parsed.message, json, io);
  return 2;
}

/** node:util's messages, said plainly and naming the argument. */
function describeParseError(error: Error & { code?: string }, argv: readonly string[]): string {
  const flag = /'(-{1,2}[^' ,]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option '${flag ?? "?"}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      // node names the option as "'-s, --stack <value>'": say it the way the user typed it.
      const spellings: string[] = /'([^']*)'/.exec(error.message)?.[1].match(/-{1,2}[\w-]+/g) ?? [];
      const typed = [...argv].reverse().find((a) => spellings.includes(a.split("=")[0]));
      return `${typed?.split("=")[0] ?? flag ?? "an option"} needs a value`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument '${argv.find((a) => !a.startsWith("-")) ?? "?"}'`;
    default:
      return error.message.split("\n")[0];
  }
}

/** A path the user typed, resolved from where they ran `npm run` (npm runs scripts from the package root). */
export function userPath(p: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), p);
}

/** A stack name, never a path: letters, digits, `-`, `_`, `.`, not starting with `.`. */
export function stackNameProblem(name: string): string | undefined {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(name)
    ? undefined
    : `'${name.slice(0, 40)}' is not a stack name (letters, digits, '-', '_' and '.', not a path)`;
}

/** Prints an error for a person, or as JSON on stdout when the run asked for JSON. */
export function reportError(message: string, json: boolean, io: ToolIO = processIO): void {
  if (json) io.out(JSON.stringify({ error: message }, null, 2));
  else io.err(message);
}
