/**
 * A picture of the delivery workbook drawn from its own definition (components/pushDashboard.ts):
 * its introduction and one card per panel, in the workbook's order, each with the panel's title and
 * a sketch of how it is drawn (bars, a time chart, a table). No data: it shows what an operator will
 * find, and it cannot drift from what is deployed because `npm run docs` writes it and
 * `npm run docs -- --check` (a test) compares it.
 */
import { workbookDefinition } from "../../components/pushDashboard";

interface NotebookItem {
  readonly type: number;
  readonly content: { readonly json?: string; readonly title?: string; readonly visualization?: string };
}

const WIDTH = 960;
const CARD_WIDTH = 460;
const CARD_HEIGHT = 170;
const GAP = 20;
const TOP = 110;

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Splits a title into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The sketch inside a card, by the panel's visualization. */
function sketch(visualization: string | undefined, x: number, y: number): string {
  const w = CARD_WIDTH - 40;
  if (visualization === "barchart") {
    const heights = [80, 64, 52, 18, 10, 6];
    return heights
      .map(
        (h, i) => `<rect x="${x + i * 70}" y="${y + 90 - h}" width="48" height="${h}" fill="#0078d4" opacity="${1 - i * 0.12}"/>`,
      )
      .join("");
  }
  if (visualization === "timechart") {
    const series = [
      [60, 52, 58, 40, 46, 38, 44, 30],
      [78, 70, 74, 62, 68, 60, 64, 56],
    ];
    return series
      .map((points, s) => {
        const path = points.map((p, i) => `${x + (i * w) / (points.length - 1)},${y + p}`).join(" ");
        return `<polyline points="${path}" fill="none" stroke="${s === 0 ? "#0078d4" : "#e3008c"}" stroke-width="2"/>`;
      })
      .join("");
  }
  return [0, 1, 2, 3, 4]
    .map((r) => `<rect x="${x}" y="${y + r * 18}" width="${w}" height="14" fill="${r === 0 ? "#c8c6c4" : "#edebe9"}"/>`)
    .join("");
}

/** The workbook as an SVG document. */
export function renderWorkbookPicture(definition: string = workbookDefinition()): string {
  const items = (JSON.parse(definition) as { items: NotebookItem[] }).items;
  const intro = items.find((i) => i.type === 1)?.content.json ?? "";
  const [heading, ...rest] = intro.split("\n");
  const panels = items.filter((i) => i.type === 3).map((i) => i.content);
  const rows = Math.ceil(panels.length / 2);
  const height = TOP + rows * (CARD_HEIGHT + GAP) + 30;
  const cards = panels.map((panel, i) => {
    const x = GAP + (i % 2) * (CARD_WIDTH + GAP);
    const y = TOP + Math.floor(i / 2) * (CARD_HEIGHT + GAP);
    const title = wrap(panel.title ?? "", 58)
      .map((line, l) => `<text x="${x + 16}" y="${y + 26 + l * 18}" font-size="14" font-weight="600">${escapeXml(line)}</text>`)
      .join("");
    return (
      `<rect x="${x}" y="${y}" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" rx="4" fill="#ffffff" stroke="#c8c6c4"/>` +
      title +
      sketch(panel.visualization, x + 20, y + 64)
    );
  });
  const introLines = wrap(rest.join(" "), 120)
    .map((line, l) => `<text x="${GAP}" y="${60 + l * 18}" font-size="13" fill="#323130">${escapeXml(line)}</text>`)
    .join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Segoe UI, Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#f3f2f1"/>`,
    `<text x="${GAP}" y="34" font-size="20" font-weight="600">${escapeXml(heading.replace(/^#+\s*/, ""))}</text>`,
    introLines,
    ...cards,
    `<text x="${GAP}" y="${height - 12}" font-size="11" fill="#605e5c">Drawn by npm run docs from the workbook's definition (components/pushDashboard.ts): the panels and their kinds, no data.</text>`,
    "</svg>",
    "",
  ].join("\n");
}
