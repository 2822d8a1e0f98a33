import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./support/runTool";

// Every link in the project's Markdown goes somewhere: a file that exists and, with an anchor, a
// heading of that file (GitHub's slugs); links out of the project are https.
const MARKDOWN = [
  "README.md",
  "BENCHMARKS.md",
  "TESTING.md",
  "policies/README.md",
  ...fs
    .readdirSync(path.join(projectRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function withoutCode(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => githubSlug(m[1])));
}

function linksOf(file: string): string[] {
  return [...withoutCode(fs.readFileSync(path.join(projectRoot, file), "utf8")).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

describe("links in the documentation", () => {
  it("are found (so the checks below can fail)", () => {
    expect(linksOf("README.md").length).toBeGreaterThan(8);
    expect(githubSlug("GitOps: dev → staging → prod")).toBe("gitops-dev--staging--prod");
    expect(githubSlug("Policy pack on a large export (`npm run bench:policy`)")).toBe(
      "policy-pack-on-a-large-export-npm-run-benchpolicy",
    );
  });

  it.each(MARKDOWN)("%s: every link reaches an existing file and heading", (file) => {
    const broken: string[] = [];
    for (const link of linksOf(file)) {
      if (/^[a-z]+:/i.test(link)) {
        if (!link.startsWith("https://")) broken.push(`${link}: links out of the project must be https`);
        continue;
      }
      const [target, anchor] = link.split("#");
      const targetFile = target ? path.resolve(path.dirname(path.join(projectRoot, file)), target) : path.join(projectRoot, file);
      if (!fs.existsSync(targetFile)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor && !(targetFile.endsWith(".md") && anchorsOf(targetFile).has(anchor))) broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it("give every page of docs/ its audience first, and a way in from the README", () => {
    const readmeLinks = new Set(linksOf("README.md"));
    for (const page of fs.readdirSync(path.join(projectRoot, "docs")).filter((f) => f.endsWith(".md"))) {
      const text = fs.readFileSync(path.join(projectRoot, "docs", page), "utf8");
      expect({ page, audience: /^# .+\n\nFor: /.test(text) }).toEqual({ page, audience: true });
      expect({ page, linked: readmeLinks.has(`docs/${page}`) }).toEqual({ page, linked: true });
    }
  });

  it("keeps the README the short front door", () => {
    expect(fs.readFileSync(path.join(projectRoot, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(200);
  });
});
