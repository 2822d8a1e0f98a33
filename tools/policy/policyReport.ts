import { createHash } from "node:crypto";
import type { Diagnostic, PackInfo, PolicyConfig, RuleInfo } from "./policyAnalyzer";
import type { Anchor } from "./policyAnchors";

/** One evaluation of the pack, ready to render in any format. */
export interface PolicyRun {
  readonly pack: PackInfo;
  readonly stack: string;
  /** What was evaluated: "offline plan of Pulumi.dev.yaml", "state export dev.json", … */
  readonly source: string;
  /** File a reviewer opens for the fix; SARIF anchors results there. */
  readonly artifact: string;
  readonly config: PolicyConfig;
  /** Where the config came from: a file as the user named it, or the pack's defaults. */
  readonly configSource: string;
  /** How many resources were evaluated. */
  readonly resourceCount: number;
  /** `resource.property` paths stored encrypted, which no rule could read. */
  readonly encryptedProperties: readonly string[];
  /** What reading the input skipped or converted, in plain sentences. */
  readonly notes: readonly string[];
  /** Where each rule's findings are anchored in the repository (SARIF); default: line 1 of `artifact`. */
  readonly anchors?: Readonly<Record<string, Anchor>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Rules the config turned off. */
export function disabledRules(run: PolicyRun): string[] {
  return run.pack.rules
    .filter((r) => (run.config[r.name]?.enforcementLevel ?? r.enforcementLevel) === "disabled")
    .map((r) => r.name);
}

/** Why the run proves nothing, if it does not: a report must never say "passed" then. */
export function nothingChecked(run: PolicyRun): string | undefined {
  if (run.resourceCount === 0) return "nothing was checked: the input holds no resources";
  if (disabledRules(run).length === run.pack.rules.length) return "nothing was checked: the config disables every rule";
  return undefined;
}

/**
 * Whether a run fails its pipeline: a mandatory violation, or a run that proved nothing (no
 * resources, or every rule disabled) unless the caller asked to accept that.
 */
export function runFails(run: PolicyRun, allowNothingChecked = false): boolean {
  return mandatoryCount(run) > 0 || (nothingChecked(run) !== undefined && !allowNothingChecked);
}

const SHOWN_ENCRYPTED = 10;

/** What the run covered, as sentences every format shows. */
export function coverage(run: PolicyRun): string[] {
  const lines = [`Config: ${run.configSource}. Resources checked: ${run.resourceCount}.`];
  const disabled = disabledRules(run);
  if (disabled.length > 0) lines.push(`Disabled rules (not checked): ${disabled.join(", ")}.`);
  const encrypted = run.encryptedProperties;
  if (encrypted.length > 0) {
    const shown = encrypted.slice(0, SHOWN_ENCRYPTED).join(", ");
    const more = encrypted.length > SHOWN_ENCRYPTED ? ` and ${encrypted.length - SHOWN_ENCRYPTED} more` : "";
    lines.push(`Encrypted, so not checked (${encrypted.length}): ${shown}${more}; export with --show-secrets to check them.`);
  }
  for (const note of run.notes) lines.push(`Note: ${note}`);
  return lines;
}

export const REPORT_FORMATS = ["text", "markdown", "json", "sarif"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function mandatoryCount(run: PolicyRun): number {
  return run.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
}

function resourceName(urn: string): string {
  return urn ? (urn.split("::").pop() ?? urn) : "(stack)";
}

function resourceType(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

function byResource(run: PolicyRun): Map<string, Diagnostic[]> {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of run.diagnostics) groups.set(d.urn, [...(groups.get(d.urn) ?? []), d]);
  return groups;
}

function exemptionsInForce(run: PolicyRun): { rule: string; resource: string; justification: string; expires: string }[] {
  return Object.entries(run.config).flatMap(([rule, settings]) =>
    ((settings.exemptions as { resource: string; justification: string; expires: string }[] | undefined) ?? []).map((e) => ({
      rule,
      ...e,
    })),
  );
}

export function renderText(run: PolicyRun): string {
  const lines = [`Policy pack ${run.pack.name}@${run.pack.version} on stack '${run.stack}' (${run.source}):`];
  lines.push(...coverage(run).map((l) => `  ${l}`));
  const empty = nothingChecked(run);
  if (empty) lines.push(`  ${empty[0].toUpperCase()}${empty.slice(1)}.`);
  else if (run.diagnostics.length === 0) lines.push("  no violations.");
  for (const d of run.diagnostics) {
    lines.push(`  [${d.enforcementLevel}] ${d.policyName} (${d.severity}) ${resourceName(d.urn)}: ${d.message}`);
  }
  const advisory = run.diagnostics.length - mandatoryCount(run);
  lines.push(`  ${mandatoryCount(run)} mandatory, ${advisory} advisory violation${advisory === 1 ? "" : "s"}.`);
  return lines.join("\n");
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(run: PolicyRun): string {
  const mandatory = mandatoryCount(run);
  const advisory = run.diagnostics.length - mandatory;
  const empty = nothingChecked(run);
  const status = mandatory > 0 ? "❌ blocked" : empty ? `⚪ ${empty}` : advisory > 0 ? "⚠️ passed with advisories" : "✅ passed";
  const lines = [
    `<!-- acs-notifications-policy-report stack=${run.stack} -->`,
    `### Policy report — stack \`${run.stack}\`: ${status}`,
    "",
    `Pack \`${run.pack.name}@${run.pack.version}\`, ${run.source}.`,
    "",
    ...coverage(run).map((l) => `- ${escapeCell(l)}`),
    "",
    "| mandatory | advisory | resources with violations |",
    "| ---: | ---: | ---: |",
    `| ${mandatory} | ${advisory} | ${byResource(run).size} |`,
  ];
  for (const [urn, diagnostics] of byResource(run)) {
    lines.push(
      "",
      `#### \`${resourceName(urn)}\` (${resourceType(urn) || "stack"})`,
      "",
      "| rule | level | severity | finding |",
      "| --- | --- | --- | --- |",
    );
    for (const d of diagnostics)
      lines.push(`| \`${d.policyName}\` | ${d.enforcementLevel} | ${d.severity} | ${escapeCell(d.message)} |`);
  }
  const exemptions = exemptionsInForce(run);
  if (exemptions.length > 0) {
    lines.push(
      "",
      "<details><summary>Exemptions declared in the policy config</summary>",
      "",
      "| rule | resource | expires | justification |",
      "| --- | --- | --- | --- |",
    );
    for (const e of exemptions)
      lines.push(`| \`${e.rule}\` | \`${escapeCell(e.resource)}\` | ${e.expires} | ${escapeCell(e.justification)} |`);
    lines.push("", "</details>");
  }
  return lines.join("\n");
}

export function renderJson(run: PolicyRun): string {
  return JSON.stringify(
    {
      pack: run.pack.name,
      version: run.pack.version,
      stack: run.stack,
      source: run.source,
      config: run.configSource,
      checked: nothingChecked(run) === undefined,
      resources: run.resourceCount,
      disabledRules: disabledRules(run),
      encryptedProperties: run.encryptedProperties,
      notes: [...run.notes, ...(nothingChecked(run) ? [nothingChecked(run)] : [])],
      summary: { mandatory: mandatoryCount(run), advisory: run.diagnostics.length - mandatoryCount(run) },
      violations: run.diagnostics.map((d) => ({
        policy: d.policyName,
        pack: d.policyPackName,
        version: d.policyPackVersion,
        enforcement: d.enforcementLevel,
        severity: d.severity,
        urn: d.urn,
        resource: resourceName(d.urn),
        message: d.message,
      })),
    },
    null,
    2,
  );
}

// GitHub code scanning ranks alerts by this number (0-10).
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", unspecified: "5.0" };

// GitHub rejects `none`; a disabled rule is `enabled: false` at its advisory level instead.
function sarifLevel(level: string): "error" | "warning" | "note" {
  return level === "mandatory" || level === "remediate" ? "error" : level === "advisory" ? "warning" : "note";
}

/** Where the rules are documented, as absolute URLs when the run knows its repository (GitHub Actions). */
function documentationBase(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY) return undefined;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA ?? "HEAD"}`;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function sarifRule(rule: RuleInfo, run: PolicyRun) {
  const level = run.config[rule.name]?.enforcementLevel ?? rule.enforcementLevel;
  return {
    id: rule.name,
    name: rule.name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    ...(documentationBase() ? { helpUri: `${documentationBase()}/policies/README.md#${rule.name}` } : {}),
    help: {
      text: `${rule.description}\n\nFix: ${rule.remediationSteps}\n\nSee policies/README.md#${rule.name}.`,
      markdown: `${rule.description}\n\n**Fix:** ${rule.remediationSteps}\n\nSee [policies/README.md](policies/README.md#${rule.name}).`,
    },
    defaultConfiguration: { level: sarifLevel(level), enabled: level !== "disabled" },
    properties: {
      tags: ["pulumi", "azure", "acs-notifications", rule.kind],
      "security-severity": SECURITY_SEVERITY[rule.severity],
      precision: "high",
    },
  };
}

function anchorOf(run: PolicyRun, rule: string): Anchor {
  return run.anchors?.[rule] ?? { file: run.artifact, line: 1, text: "" };
}

export function renderSarif(run: PolicyRun): string {
  const rules = run.pack.rules;
  return JSON.stringify(
    {
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: {
            driver: {
              name: run.pack.name,
              semanticVersion: run.pack.version,
              version: run.pack.version,
              ...(documentationBase() ? { informationUri: `${documentationBase()}/policies/README.md` } : {}),
              rules: rules.map((r) => sarifRule(r, run)),
            },
          },
          // The same id as the workflow's upload category (`policy-<stack>`): a SARIF id wins over it.
          automationDetails: { id: `policy-${run.stack}/` },
          // Code scanning shows an empty result list as "no alerts"; the invocation says what was not checked.
          invocations: [
            {
              executionSuccessful: nothingChecked(run) === undefined,
              toolExecutionNotifications: [...coverage(run), ...(nothingChecked(run) ? [nothingChecked(run)!] : [])].map(
                (text) => ({ message: { text }, level: "note" }),
              ),
            },
          ],
          results: run.diagnostics.map((d) => ({
            ruleId: d.policyName,
            ruleIndex: Math.max(
              0,
              rules.findIndex((r) => r.name === d.policyName),
            ),
            level: sarifLevel(d.enforcementLevel),
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: anchorOf(run, d.policyName).file },
                  region: { startLine: anchorOf(run, d.policyName).line },
                },
                logicalLocations: [
                  { fullyQualifiedName: d.urn || `stack:${run.stack}`, name: resourceName(d.urn), kind: "resource" },
                ],
              },
            ],
            // Code scanning tracks an alert by primaryLocationLineHash; given here, it is not computed from
            // the line alone, so two findings anchored at one line (one hub, two problems) stay two alerts.
            partialFingerprints: {
              primaryLocationLineHash: `${sha256(`${anchorOf(run, d.policyName).text}|${d.urn}|${d.policyName}|${d.message}`).slice(0, 16)}:1`,
              "pulumiUrnPolicy/v2": sha256(`${d.urn}|${d.policyName}|${d.message}`),
            },
            properties: { enforcementLevel: d.enforcementLevel, severity: d.severity, urn: d.urn },
          })),
        },
      ],
    },
    null,
    2,
  );
}

export function renderReport(run: PolicyRun, format: ReportFormat): string {
  switch (format) {
    case "text":
      return renderText(run);
    case "markdown":
      return renderMarkdown(run);
    case "json":
      return renderJson(run);
    case "sarif":
      return renderSarif(run);
  }
}
