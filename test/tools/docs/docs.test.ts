import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIG_REFERENCE } from "../../../config/configReference";
import { KNOWN_KEYS, SECRET_KEYS } from "../../../config/stackConfigTypes";
import { ruleInfoOf } from "../../../policies/framework/policyDefinition";
import { allPolicies } from "../../../policies/rules";
import { expectedDocs, WORKBOOK_PICTURE } from "../../../tools/docs/generateDocs";
import { renderWorkbookPicture } from "../../../tools/docs/workbookPicture";
import { DASHBOARD_PANELS, workbookDefinition } from "../../../components/pushDashboard";
import {
  markdownTable,
  MARKERS,
  renderConfigTable,
  renderRuleSections,
  replaceBetween,
  wrap,
} from "../../../tools/docs/docSections";
import { runTool, projectRoot } from "../../support/runTool";

describe("the READMEs' generated parts", () => {
  it("are what the rules' metadata and the config reference say (run npm run docs when this fails)", async () => {
    for (const { file, current, expected } of expectedDocs()) {
      expect({ file: path.basename(file), text: current }).toEqual({ file: path.basename(file), text: expected });
    }
  });

  it("give every rule a section with its why, checks, fix and default level, stack rules marked", () => {
    const sections = renderRuleSections(allPolicies);
    for (const policy of allPolicies) {
      const info = ruleInfoOf(policy)!;
      expect(sections).toContain(`### ${policy.name}\n\n- **Why:** `);
      expect(sections).toContain(`- **${info.kind === "stack" ? "Checks (stack)" : "Checks"}:** `);
      expect(sections).toContain(`- **Default:** ${info.enforcementLevel}, ${info.severity}.`);
    }
    expect(sections.match(/^### /gm)).toHaveLength(allPolicies.length);
  });

  it("the platform team's page lists every rule of the pack with its default level", () => {
    const page = fs.readFileSync(path.join(projectRoot, "docs", "policies.md"), "utf8");
    for (const policy of allPolicies) {
      const row = page.split("\n").find((line) => line.startsWith(`| \`${policy.name}\``));
      expect({ rule: policy.name, row: row !== undefined }).toEqual({ rule: policy.name, row: true });
      expect(row).toContain(`| ${ruleInfoOf(policy)!.enforcementLevel} `);
    }
  });

  it("list every setting the validator knows, and mark each secret one as a secret", () => {
    expect(CONFIG_REFERENCE.map((e) => e.key)).toEqual(KNOWN_KEYS);
    for (const entry of CONFIG_REFERENCE)
      expect([entry.key, entry.form.startsWith("**secret**")]).toEqual([
        entry.key,
        (SECRET_KEYS as readonly string[]).includes(entry.key),
      ]);
    const table = renderConfigTable(CONFIG_REFERENCE).split("\n");
    expect(table).toHaveLength(CONFIG_REFERENCE.length + 2);
    expect(
      table[2]
        .slice(2, -2)
        .split(" | ")
        .map((cell) => cell.trim()),
    ).toEqual(["`location`", CONFIG_REFERENCE[0].required, CONFIG_REFERENCE[0].form, CONFIG_REFERENCE[0].notes]);
  });

  it("replace only what lies between the markers, and name a file without them", () => {
    const [begin, end] = MARKERS.rules;
    expect(replaceBetween(`intro\n${begin}\nold\n${end}\noutro`, MARKERS.rules, "new", "X.md")).toBe(
      `intro\n${begin}\n\nnew\n\n${end}\noutro`,
    );
    expect(() => replaceBetween("no markers", MARKERS.rules, "new", "X.md")).toThrow(
      `X.md has no '${begin}' … '${end}' pair to write into`,
    );
  });

  it("pad table columns as Prettier does", () => {
    expect(
      markdownTable(
        ["a", "long header"],
        [
          ["x", "y"],
          ["wider", "z"],
        ],
      ),
    ).toBe(
      ["| a     | long header |", "| ----- | ----------- |", "| x     | y           |", "| wider | z           |"].join("\n"),
    );
  });

  it("wrap bullets at the width, indenting continuation lines", () => {
    expect(wrap("aaa bbb ccc ddd", 7, "  ")).toBe("aaa bbb\n  ccc\n  ddd");
    expect(wrap("  one   two  ", 80, "  ")).toBe("one two");
  });
});

describe("npm run docs", () => {
  it("--check passes on this tree and fails, naming the file, on a stale copy", async () => {
    expect(await runTool("docs", "--check")).toMatchObject({ code: 0, stderr: "" });
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "acs-docs-"));
    fs.mkdirSync(path.join(copy, "policies"));
    fs.mkdirSync(path.join(copy, "docs"));
    fs.copyFileSync(path.join(projectRoot, "docs", "configuration.md"), path.join(copy, "docs", "configuration.md"));
    fs.mkdirSync(path.join(copy, "docs", "images"));
    fs.copyFileSync(path.join(projectRoot, WORKBOOK_PICTURE), path.join(copy, WORKBOOK_PICTURE));
    const policiesReadme = fs.readFileSync(path.join(projectRoot, "policies", "README.md"), "utf8");
    fs.writeFileSync(path.join(copy, "policies", "README.md"), policiesReadme.replace("- **Fix:**", "- **Fix (edited):**"));
    const stale = expectedDocs(copy);
    expect(stale.filter((d) => d.current !== d.expected).map((d) => path.relative(copy, d.file))).toEqual([
      path.join("policies", "README.md"),
    ]);
  });
});

describe("the delivery workbook's picture", () => {
  it("is drawn from the workbook's definition: its heading and every panel's title, in order", () => {
    const svg = renderWorkbookPicture();
    expect(svg.startsWith("<svg ")).toBe(true);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(" ");
    expect(texts).toContain("Push delivery");
    let from = 0;
    for (const panel of DASHBOARD_PANELS) {
      const firstWords = panel.title.split(" ").slice(0, 3).join(" ").replace(/&/g, "&amp;").replace(/>/g, "&gt;");
      const at = texts.indexOf(firstWords, from);
      expect({ panel: panel.title, found: at >= 0 }).toEqual({ panel: panel.title, found: true });
      from = at;
    }
  });

  it("changes when a panel does", () => {
    const renamed = DASHBOARD_PANELS.map((p, i) => (i === 0 ? { ...p, title: "Renamed funnel" } : p));
    expect(renderWorkbookPicture(workbookDefinition(renamed))).toContain("Renamed funnel");
    expect(renderWorkbookPicture(workbookDefinition(renamed))).not.toBe(renderWorkbookPicture());
  });
});
