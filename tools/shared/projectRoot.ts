import * as path from "node:path";

/** The project's root directory, wherever a tool is started from (a test, a bench or another directory's npm). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** A file's path below `base`, with forward slashes; undefined when the file is not under it. */
export function pathBelow(base: string, file: string): string | undefined {
  const relative = path.relative(base, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join("/");
}
