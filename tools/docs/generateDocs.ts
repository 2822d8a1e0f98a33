import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_REFERENCE } from "../../config/configReference";
import { allPolicies } from "../../policies/rules";
import { exitWithoutWork, parseCli, reportError } from "../shared/cli";
import { describeThrown, runAsCommand, ToolIO } from "../shared/toolMain";
import { PROJECT_ROOT } from "../shared/projectRoot";
import { MARKERS, renderConfigTable, renderRuleSections, replaceBetween } from "./docSections";
import { renderWorkbookPicture } from "./workbookPicture";

/** Where the delivery workbook's picture is kept (the README and docs/troubleshooting.md show it). */
export const WORKBOOK_PICTURE = path.join("docs", "images", "delivery-workbook.svg");

const USAGE = `usage: npm run -s docs [-- --check]

Writes the parts of the READMEs that mirror code: the policy pack's rule sections (policies/README.md)
from the rules' metadata, the configuration table (docs/configuration.md) from config/configReference.ts, and
the delivery workbook's picture (docs/images/delivery-workbook.svg) from its definition.

  --check     write nothing; exit 1 and name the stale files when a README differs from what would be written
  -h, --help  this text`;

/** Each README as it should be: its generated parts rendered (already in the form Prettier keeps). */
export function expectedDocs(root = PROJECT_ROOT): { file: string; current: string; expected: string }[] {
  const targets = [
    { file: path.join(root, "policies", "README.md"), markers: MARKERS.rules, content: renderRuleSections(allPolicies) },
    { file: path.join(root, "docs", "configuration.md"), markers: MARKERS.config, content: renderConfigTable(CONFIG_REFERENCE) },
  ];
  const picture = path.join(root, WORKBOOK_PICTURE);
  return [
    ...targets.map(({ file, markers, content }) => {
      const current = fs.readFileSync(file, "utf8");
      return { file, current, expected: replaceBetween(current, markers, content, path.relative(root, file)) };
    }),
    // A whole file: written when missing, compared as a whole.
    { file: picture, current: fs.existsSync(picture) ? fs.readFileSync(picture, "utf8") : "", expected: renderWorkbookPicture() },
  ];
}

export async function main(argv: readonly string[], io: ToolIO): Promise<number> {
  const parsed = parseCli<{ check?: boolean }>(argv, { check: { type: "boolean" } }, USAGE);
  if (parsed.kind !== "ok") return exitWithoutWork(parsed, false, io);
  try {
    const docs = expectedDocs();
    const stale = docs.filter((d) => d.current !== d.expected);
    if (parsed.values.check) {
      for (const d of stale) io.err(`${path.relative(PROJECT_ROOT, d.file)} is stale: run npm run docs`);
      return stale.length > 0 ? 1 : 0;
    }
    for (const d of stale) {
      fs.mkdirSync(path.dirname(d.file), { recursive: true });
      fs.writeFileSync(d.file, d.expected);
      io.out(`wrote ${path.relative(PROJECT_ROOT, d.file)}`);
    }
    if (stale.length === 0) io.out("the READMEs are up to date");
    return 0;
  } catch (error) {
    reportError(`docs: ${describeThrown(error)}`, false, io);
    return 1;
  }
}

if (require.main === module) runAsCommand("docs", main);
