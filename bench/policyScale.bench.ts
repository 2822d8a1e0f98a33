/**
 * `npm run bench:policy`: `npm run policy` on a 20,000-resource `pulumi stack export`, against the
 * implementation it replaced (commit BASELINE_COMMIT, extracted from git into a scratch copy) in
 * the same command, interleaved run by run. Wall time, and peak RSS of both processes: the tool
 * and the policy pack's analyzer server. Prints a table and a JSON line; no assertion on time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { largeStackExport } from "./largeStackExport";

const root = path.resolve(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 3);
const size = Number(process.env.BENCH_RESOURCES ?? 20000);
/** `npm run policy` before it pipelined its calls, converted each resource once and indexed hubs by id. */
const BASELINE_COMMIT = "f5cf399";
/** Where `npm run policy` starts, then and now. */
const BASELINE_ENTRY = "tools/policy.ts";
const CURRENT_ENTRY = "tools/policy/policy.ts";

interface Sample {
  wallMs: number;
  toolRssMb: number;
  packRssMb: number;
  output: string;
}

function baselineCopy(): string {
  const dir = fs.mkdtempSync(path.join(root, ".bench-policy-baseline-"));
  const tar = execFileSync("git", ["archive", "--format=tar", BASELINE_COMMIT, "tools", "policies", "scripts", "config"], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** Runs the policy tool of a tree (its entry file given) with bench/measurePolicy.js preloaded; the report is kept to compare. */
function measure(tree: string, entry: string, exportFile: string): Sample {
  const resultFile = path.join(os.tmpdir(), `bench-policy-${process.pid}-${Date.now()}.jsonl`);
  const result = spawnSync(
    process.execPath,
    [
      "-r",
      path.join(root, "bench", "measurePolicy.js"),
      path.join(tree, "scripts", "run-ts.js"),
      path.join(tree, entry),
      "--state",
      exportFile,
      "--stack",
      "prod",
    ],
    { cwd: tree, encoding: "utf8", env: { ...process.env, BENCH_RESULT_FILE: resultFile }, maxBuffer: 256 * 1024 * 1024 },
  );
  // Exit 1 is expected: the export holds mandatory violations.
  if (result.status !== 0 && result.status !== 1) throw new Error(`policy run failed (${result.status}): ${result.stderr}`);
  const sample = JSON.parse(fs.readFileSync(resultFile, "utf8").trim()) as Omit<Sample, "output">;
  fs.rmSync(resultFile);
  return { ...sample, output: result.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const exportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-scale-")), "export.json");
  fs.writeFileSync(exportFile, JSON.stringify(largeStackExport(size)));
  const baseline = baselineCopy();
  try {
    const samples: Record<"current" | "baseline", Sample[]> = { current: [], baseline: [] };
    for (let i = 0; i < runs; i++) {
      samples.current.push(measure(root, CURRENT_ENTRY, exportFile));
      samples.baseline.push(measure(baseline, BASELINE_ENTRY, exportFile));
    }
    // The findings must be the same; the current report also says what it covered.
    const findings = (output: string) => output.split("\n").filter((l) => l.startsWith("  ["));
    const same = findings(samples.current[0].output).join("\n") === findings(samples.baseline[0].output).join("\n");
    const summary = (s: Sample[]) => ({
      wallS: median(s.map((x) => x.wallMs)) / 1000,
      toolRssMb: Math.max(...s.map((x) => x.toolRssMb)),
      packRssMb: Math.max(...s.map((x) => x.packRssMb)),
    });
    const current = summary(samples.current);
    const base = summary(samples.baseline);
    console.log(`npm run policy on a ${size}-resource export, ${runs} runs each (median wall, max peak RSS)`);
    const row = (name: string, r: typeof current) =>
      `| ${name.padEnd(8)} | ${r.wallS.toFixed(2)} s | ${r.toolRssMb.toFixed(0)} MB | ${r.packRssMb.toFixed(0)} MB |`;
    console.log(`| run      |   wall | tool peak RSS | pack server peak RSS |`);
    console.log(row("current", current));
    console.log(row("baseline", base));
    console.log(
      `| ratio    | ${(current.wallS / base.wallS).toFixed(2)}x | ${(current.toolRssMb / base.toolRssMb).toFixed(2)}x | ${(current.packRssMb / base.packRssMb).toFixed(2)}x |`,
    );
    console.log(`same report: ${same}`);
    console.log(JSON.stringify({ size, runs, current, baseline: base, sameReport: same }));
  } finally {
    fs.rmSync(baseline, { recursive: true, force: true });
  }
}

main();
