import * as fs from "node:fs";
import * as path from "node:path";
import { SILENT_PIPELINE_QUERY } from "../../components/pushAlerts";
import { APPLICATION_INSIGHTS_TABLES, kustoProblems, publishedColumns } from "../support/kusto";
import { projectRoot } from "../support/runTool";
import { committedPlan } from "../support/committedPlan";
import { userTag } from "../../function/src/tags";
import { ledgerQuery } from "../../tools/doctor/trace";
import { freshnessQuery } from "../../tools/doctor/freshness";
import { rebalanceQuery } from "../../tools/doctor/rebalance";

// Every KQL the project ships or tells people to run — the log alerts' queries as the stacks' plans
// create them, and the ```kusto blocks of the docs — parsed and bound by Microsoft's Kusto language
// service against Application Insights' published table schemas: a renamed column or a type that
// does not fit breaks the build, not the alert.

interface PlannedResource {
  type: string;
  name: string;
  inputs: { criteria?: { allOf?: { query?: string }[] }; serializedData?: string };
}

/** The queries of a workbook's definition (Notebook/1.0: query items are type 3). */
function workbookQueries(resource: PlannedResource): [string, string][] {
  const definition = JSON.parse(resource.inputs.serializedData ?? "{}") as {
    items?: { type: number; name: string; content: { query?: string } }[];
  };
  return (definition.items ?? [])
    .filter((item) => item.type === 3)
    .map((item): [string, string] => [`${resource.name} ${item.name}`, item.content.query ?? ""]);
}

function docsQueries(): [string, string][] {
  const files = ["README.md", ...fs.readdirSync(path.join(projectRoot, "docs")).map((f) => path.join("docs", f))];
  return files
    .filter((f) => f.endsWith(".md"))
    .flatMap((file) =>
      [...fs.readFileSync(path.join(projectRoot, file), "utf8").matchAll(/```(?:kusto|kql)\n([\s\S]*?)```/g)].map(
        (m, i): [string, string] => [`${file} #${i + 1}`, m[1]],
      ),
    );
}

// Queries that must fail, each for one reason: the checks above can fail.
const RENAMED_COLUMN = SILENT_PIPELINE_QUERY.replace("where message startswith", "where messageText startswith");
const UNKNOWN_COLUMN = "requests | where statusCode == 500";
const TYPES_DO_NOT_FIT = 'requests | where duration > "slow"';
const DOES_NOT_PARSE = "traces | where | summarize";
const DOCTOR_QUERIES = [ledgerQuery(userTag("8:acs:x")), freshnessQuery(7 * 24), rebalanceQuery("customer")];

describe("the project's KQL, checked by the Kusto language service", () => {
  let planned: [string, string][];
  let workbook: [string, string][];
  let docs: [string, string][];
  // Every query of this file, checked by one run of the service.
  const problems = new Map<string, string[]>();
  const problemsOf = (query: string): string[] => {
    const found = problems.get(query);
    if (!found) throw new Error(`not checked by the service: ${query}`);
    return found;
  };
  beforeAll(async () => {
    const { code, stdout } = await committedPlan("--stack", "prod", "--json");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { resources: PlannedResource[] };
    planned = plan.resources
      .filter((r) => r.type === "azure-native:monitor:ScheduledQueryRule")
      .flatMap((r) => (r.inputs.criteria?.allOf ?? []).map((c): [string, string] => [r.name, c.query ?? ""]));
    workbook = plan.resources.filter((r) => r.type === "azure-native:applicationinsights:Workbook").flatMap(workbookQueries);
    docs = docsQueries();
    const queries = [
      ...[...planned, ...workbook, ...docs].map(([, query]) => query),
      ...DOCTOR_QUERIES,
      ...[RENAMED_COLUMN, UNKNOWN_COLUMN, TYPES_DO_NOT_FIT, DOES_NOT_PARSE],
    ];
    const found = await kustoProblems(queries);
    queries.forEach((query, i) => problems.set(query, found[i]));
  }, 60_000);

  it("the schema fixtures hold the published columns the queries use", () => {
    const traces = publishedColumns(APPLICATION_INSIGHTS_TABLES.traces);
    const requests = publishedColumns(APPLICATION_INSIGHTS_TABLES.requests);
    expect(traces).toEqual(expect.arrayContaining([{ name: "message", type: "string" }]));
    expect(requests).toEqual(
      expect.arrayContaining([
        { name: "success", type: "string" },
        { name: "timestamp", type: "datetime" },
        { name: "resultCode", type: "string" },
        { name: "operation_Name", type: "string" },
      ]),
    );
    expect(traces.length).toBeGreaterThan(25);
    expect(requests.length).toBeGreaterThan(35);
  });

  it("every log alert of prod's plan parses and binds, with no error", () => {
    expect(planned.map(([name]) => name).sort()).toEqual(
      ["acsnotif-prod-registration-failures", "acsnotif-prod-sender-failures", "acsnotif-prod-silent-pipeline"].sort(),
    );
    for (const [name, query] of planned) expect({ name, problems: problemsOf(query) }).toEqual({ name, problems: [] });
  });

  it("every panel of prod's delivery workbook parses and binds, with no error", () => {
    expect(workbook.length).toBeGreaterThanOrEqual(6);
    for (const [name, query] of workbook) expect({ name, problems: problemsOf(query) }).toEqual({ name, problems: [] });
  });

  it("every query in the docs parses and binds, with no error", () => {
    expect(docs.length).toBeGreaterThan(0);
    for (const [where, query] of docs) expect({ where, problems: problemsOf(query) }).toEqual({ where, problems: [] });
  });

  // The doctor's own queries (trace, freshness, rebalance): what they send is tested in
  // test/traceJourney.test.ts and test/apps/growPartitions.test.ts.
  it("every query the doctor sends parses and binds, with no error", () => {
    for (const query of DOCTOR_QUERIES) expect({ query, problems: problemsOf(query) }).toEqual({ query, problems: [] });
  });

  it("fails a query that names a column the published schema does not have", () => {
    expect(problemsOf(RENAMED_COLUMN).join("\n")).toMatch(/'messageText' does not refer to any known column/);
    expect(problemsOf(UNKNOWN_COLUMN).join("\n")).toMatch(/'statusCode'/);
  });

  it("fails a query that compares values of types that do not fit", () => {
    expect(problemsOf(TYPES_DO_NOT_FIT).join("\n")).toMatch(/operator '>' is not defined for the operand types real and string/);
  });

  it("fails a query that does not parse", () => {
    expect(problemsOf(DOES_NOT_PARSE).join("\n")).toMatch(/Missing expression/);
  });
});
