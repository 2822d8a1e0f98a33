import * as path from "node:path";

/** The project's root directory, wherever a tool is started from (a test, a bench or another directory's npm). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** A file's path below `base`, with forward slashes; undefined when the file is not under it. */
export function pathBelow(base: string, file: string): string | undefined {
  const relative = path.relative(base, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join("/");
}

/**
 * A file as the tools name it in messages and reports: relative to the project, else to the
 * directory the user ran npm from, else its full path. Never its base name alone: two files
 * called `prod.json` in different folders must not read the same in a report.
 */
export function shownPath(file: string): string {
  const absolute = path.resolve(file);
  const cwd = process.env.INIT_CWD;
  return pathBelow(PROJECT_ROOT, absolute) ?? (cwd ? pathBelow(cwd, absolute) : undefined) ?? absolute;
}
