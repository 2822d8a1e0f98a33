import * as fs from "node:fs";
import * as path from "node:path";
import { execFile as execFileCallback } from "node:child_process";
import { promisify } from "node:util";

const execFile = promisify(execFileCallback);

/**
 * Microsoft's Kusto language service (npm `@kusto/language-service-next`, the parser and binder
 * behind Azure Data Explorer's and Log Analytics' editors), with the Application Insights tables
 * the project's queries read, typed as Microsoft's published table references say
 * (test/fixtures/azure/monitor, sources in SOURCES.md).
 */
const FIXTURES = path.join(__dirname, "..", "fixtures", "azure", "monitor");
const SERVICE_SCRIPT = path.join(__dirname, "kustoService.js");
// V8's compiled code of the service (4 MB of JavaScript) kept between runs, as the tools keep theirs.
const COMPILE_CACHE = (require("../../scripts/cache.js") as { cacheFolder: (name: string) => string }).cacheFolder("v8");
/** The columns of a published table reference: `| name | type |` rows (the first two cells). */
export function publishedColumns(file: string): { name: string; type: string }[] {
  return fs
    .readFileSync(path.join(FIXTURES, file), "utf8")
    .split("\n")
    .map((line) => /^\|\s*`?([A-Za-z_]\w*)`?\s*\|\s*(string|int|long|real|bool|datetime|dynamic|timespan|guid)\s*\|/.exec(line))
    .flatMap((m) => (m ? [{ name: m[1], type: m[2] }] : []));
}

/** The Application Insights tables the project's queries read, with their published columns. */
export const APPLICATION_INSIGHTS_TABLES: Readonly<Record<string, string>> = {
  traces: "traces-table.md",
  requests: "requests-table.md",
};

/**
 * What the language service finds wrong in each query — syntax, names, types — against the
 * published schema, in the order given. One service process for all of them: starting it is most
 * of the cost.
 */
export async function kustoProblems(queries: readonly string[]): Promise<string[][]> {
  const tables = Object.fromEntries(
    Object.entries(APPLICATION_INSIGHTS_TABLES).map(([name, file]) => [name, publishedColumns(file)]),
  );
  const child = execFile(process.execPath, [SERVICE_SCRIPT], {
    env: { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
  child.child.stdin?.end(JSON.stringify({ tables, queries }));
  const { stdout } = await child;
  return JSON.parse(stdout) as string[][];
}
