import { DASHBOARD_PANELS, workbookDefinition, workbookGuid } from "../../components/pushDashboard";
import { LEDGER_MARKER } from "../../function/src/ledger";
import { committedPlan } from "../support/committedPlan";

interface PlannedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

describe("the delivery workbook", () => {
  it.each(["dev", "staging", "prod"])("is in the plan of %s, on the push sender's Application Insights", async (stack) => {
    const { code, stdout } = await committedPlan("--stack", stack, "--json");
    expect(code).toBe(0);
    const resources = (JSON.parse(stdout) as { resources: PlannedResource[] }).resources;
    const workbooks = resources.filter((r) => r.type === "azure-native:applicationinsights:Workbook");
    expect(workbooks).toHaveLength(1);
    expect(workbooks[0].inputs).toMatchObject({
      kind: "shared",
      category: "workbook",
      displayName: `Push delivery (${stack})`,
      serializedData: workbookDefinition(),
    });
    // Azure takes only a GUID as a workbook's name; the same on every run, so `up` updates it in place.
    expect(workbooks[0].inputs.resourceName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("shows the funnel, latency percentiles, refusals, dead letters, registrations and the slowest recipients", () => {
    const definition = JSON.parse(workbookDefinition()) as {
      version: string;
      items: { type: number; content: { title?: string; query?: string; visualization?: string } }[];
    };
    expect(definition.version).toBe("Notebook/1.0");
    const panels = definition.items.filter((i) => i.type === 3).map((i) => i.content);
    expect(panels.map((p) => p.title)).toEqual(DASHBOARD_PANELS.map((p) => p.title));
    expect(panels.map((p) => p.title).join("\n")).toMatch(
      /funnel[\s\S]*p50, p95, p99[\s\S]*Refusals[\s\S]*Dead letters[\s\S]*registrations[\s\S]*Slowest/i,
    );
    // Every ledger panel reads the records the sender writes, by its marker.
    for (const panel of panels.filter((p) => p.query?.startsWith("traces")))
      expect(panel.query).toContain(`substring(message, ${LEDGER_MARKER.length})`);
  });

  it("names itself the same for the same stack and differently for another", () => {
    expect(workbookGuid("p/prod/x")).toBe(workbookGuid("p/prod/x"));
    expect(workbookGuid("p/prod/x")).not.toBe(workbookGuid("p/dev/x"));
  });
});
