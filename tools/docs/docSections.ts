import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { ConfigKeyReference } from "../../config/configReference";
import { ruleInfoOf } from "../../policies/framework/policyDefinition";

/*
 * The parts of the READMEs that mirror code, rendered from it: the policy pack's rule sections
 * from each rule's metadata, the configuration table from the config reference. Markers in the
 * Markdown say where a generated part starts and ends; everything between them is replaced.
 */

export const MARKERS = {
  rules: ["<!-- BEGIN GENERATED rules: npm run docs writes this from the rules' metadata -->", "<!-- END GENERATED rules -->"],
  config: [
    "<!-- BEGIN GENERATED config: npm run docs writes this from config/configReference.ts -->",
    "<!-- END GENERATED config -->",
  ],
} as const;

/** Words wrapped at `width`, continuation lines indented: how the READMEs' bullets are written. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

const bullet = (label: string, text: string) => wrap(`- **${label}:** ${text}`, 118, "  ");

/** One section per rule, in the pack's order: why, what it checks, its settings, the fix, its default level. */
export function renderRuleSections(policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[]): string {
  return policies
    .map((policy) => {
      const info = ruleInfoOf(policy);
      if (!info) throw new Error(`the rule ${policy.name} was not made with resourceRule or stackRule, so it has no docs`);
      const lines = [
        `### ${info.name}`,
        "",
        bullet("Why", info.docs.why),
        bullet(info.kind === "stack" ? "Checks (stack)" : "Checks", info.docs.checks),
        ...(info.docs.config ? [bullet("Config", info.docs.config)] : []),
        bullet("Fix", info.docs.fix),
        bullet("Default", `${info.enforcementLevel}, ${info.severity}.`),
      ];
      return lines.join("\n");
    })
    .join("\n\n");
}

/**
 * A Markdown table with its columns padded the way Prettier pads them, so the written README is
 * already formatted. (Widths count code points: the tables here hold no wide characters.)
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (text: string) => [...text].length;
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c + " ".repeat(widths[i] - width(c))).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The configuration reference as the README's table. */
export function renderConfigTable(reference: readonly ConfigKeyReference[]): string {
  return markdownTable(
    ["key", "required", "form", "notes"],
    reference.map((entry) => [`\`${entry.key}\``, entry.required, entry.form, entry.notes]),
  );
}

/** The text with what lies between a pair of markers replaced; an error names a missing marker. */
export function replaceBetween(text: string, [begin, end]: readonly [string, string], content: string, file: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${file} has no '${begin}' … '${end}' pair to write into`);
  return `${text.slice(0, start + begin.length)}\n\n${content}\n\n${text.slice(stop)}`;
}
