// Microsoft's Kusto language service (npm `@kusto/language-service-next`) in a plain Node.js
// process: reads {tables, queries} as JSON on stdin — tables as name → [{name, type}] — and writes,
// for each query, the errors the service finds (syntax, names, types) as JSON on stdout. Run by
// test/support/kusto.ts: loaded in jest's module registry the service cost three times as much.
"use strict";
const path = require("node:path");

const SERVICE = path.dirname(require.resolve("@kusto/language-service-next/package.json"));
// The service is Bridge.NET output: it defines the globals `Bridge` and `Kusto` when loaded.
require(path.join(SERVICE, "bridge.min.js"));
require(path.join(SERVICE, "Kusto.Language.Bridge.min.js"));
const kusto = globalThis.Kusto.Language;

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { tables, queries } = JSON.parse(input);
  const symbols = Object.entries(tables).map(([name, columns]) =>
    kusto.Symbols.TableSymbol.From(`(${columns.map((c) => `${c.name}:${c.type}`).join(", ")})`).WithName(name),
  );
  const globals = kusto.GlobalState.Default.WithDatabase(new kusto.Symbols.DatabaseSymbol.ctor("applicationInsights", symbols));
  const problems = queries.map((query) => {
    const diagnostics = kusto.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
    const errors = [];
    for (let i = 0; i < diagnostics.Count; i++) {
      const d = diagnostics.getItem(i);
      if (d.Severity === "Error") errors.push(`${d.Code} at ${d.Start}: ${d.Message}`);
    }
    return errors;
  });
  process.stdout.write(JSON.stringify(problems));
});
