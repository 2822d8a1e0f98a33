import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Microsoft's Kusto language service (npm `@kusto/language-service-next`, the parser and binder
 * behind Azure Data Explorer's and Log Analytics' editors), with the Application Insights tables
 * the project's queries read, typed as Microsoft's published table references say
 * (test/fixtures/azure/monitor, sources in SOURCES.md).
 */
const FIXTURES = path.join(__dirname, "..", "fixtures", "azure", "monitor");
const SERVICE = path.dirname(require.resolve("@kusto/language-service-next/package.json"));

interface KustoDiagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
}
interface KustoList<T> {
  Count: number;
  getItem(i: number): T;
}
interface KustoLanguage {
  Symbols: {
    TableSymbol: { From(schema: string): { WithName(name: string): unknown } };
    DatabaseSymbol: { ctor: new (name: string, tables: unknown[]) => unknown };
  };
  GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): KustoList<KustoDiagnostic> } };
}

/** The columns of a published table reference: `| name | type |` rows (the first two cells). */
export function publishedColumns(file: string): { name: string; type: string }[] {
  return fs
    .readFileSync(path.join(FIXTURES, file), "utf8")
    .split("\n")
    .map((line) => /^\|\s*`?([A-Za-z_]\w*)`?\s*\|\s*(string|int|long|real|bool|datetime|dynamic|timespan|guid)\s*\|/.exec(line))
    .flatMap((m) => (m ? [{ name: m[1], type: m[2] }] : []));
}

let language: KustoLanguage | undefined;
function kusto(): KustoLanguage {
  if (!language) {
    // The service is Bridge.NET output: it defines the globals `Bridge` and `Kusto` when loaded.
    require(path.join(SERVICE, "bridge.min.js"));
    require(path.join(SERVICE, "Kusto.Language.Bridge.min.js"));
    language = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
  }
  return language;
}

/** The Application Insights tables the project's queries read, with their published columns. */
export const APPLICATION_INSIGHTS_TABLES: Readonly<Record<string, string>> = {
  traces: "traces-table.md",
  requests: "requests-table.md",
};

let globals: unknown;
function applicationInsights(): unknown {
  if (!globals) {
    const k = kusto();
    const tables = Object.entries(APPLICATION_INSIGHTS_TABLES).map(([name, file]) =>
      k.Symbols.TableSymbol.From(
        `(${publishedColumns(file)
          .map((c) => `${c.name}:${c.type}`)
          .join(", ")})`,
      ).WithName(name),
    );
    globals = k.GlobalState.Default.WithDatabase(new k.Symbols.DatabaseSymbol.ctor("applicationInsights", tables));
  }
  return globals;
}

/** What the language service finds wrong in a query — syntax, names, types — against the published schema. */
export function kustoProblems(query: string): string[] {
  const diagnostics = kusto().KustoCode.ParseAndAnalyze(query, applicationInsights()).GetDiagnostics();
  const problems: string[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === "Error") problems.push(`${d.Code} at ${d.Start}: ${d.Message}`);
  }
  return problems;
}
