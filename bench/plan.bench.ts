/**
 * `npm run bench`: the offline plan's wall time and peak RSS against a baseline measured in
 * the same command — the same program with every azure-native import switched to the package
 * root and run through ts-node with type-checking (what a naive setup does). Also times
 * `tsc --noEmit` over the project. Also the plan's whole process against the floor any Pulumi
 * program pays — starting Node.js and loading @pulumi/pulumi — both timed from outside the process,
 * the floor with and without the V8 compile cache the tools use. Prints a table and a JSON line;
 * no assertion on time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);

interface Sample {
  wallMs: number;
  maxRssMb: number;
  code: number;
}

/** A copy of the program whose azure-native imports go through the package root. */
function makeRootImportCopy(): string {
  const dir = fs.mkdtempSync(path.join(root, ".bench-root-import-"));
  for (const sub of ["config", "azure", "components", "tools", "function", "policies"])
    fs.cpSync(path.join(root, sub), path.join(dir, sub), { recursive: true });
  for (const file of ["index.ts", "Pulumi.yaml", "Pulumi.dev.yaml", "tsconfig.json"])
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  const rewrite = (file: string) => {
    const source = fs.readFileSync(file, "utf8");
    const rewritten = source.replace(
      /import \* as (\w+) from "@pulumi\/azure-native\/(\w+)";/g,
      (_m, local: string, sub: string) => `import { ${sub} as ${local} } from "@pulumi/azure-native";`,
    );
    fs.writeFileSync(file, rewritten);
  };
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".ts") ? [path.join(d, e.name)] : []));
  walk(dir).forEach(rewrite);
  return dir;
}

function measure(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Sample {
  const resultFile = path.join(os.tmpdir(), `bench-${process.pid}-${Date.now()}.jsonl`);
  const result = spawnSync(process.execPath, ["-r", path.join(root, "bench", "measure.js"), ...args], {
    cwd,
    env: { ...process.env, ...env, BENCH_RESULT_FILE: resultFile, PULUMI_CONFIG: "", PULUMI_CONFIG_SECRET_KEYS: "" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`benchmark command failed: ${args.join(" ")}\n${result.stderr}`);
  const sample = JSON.parse(fs.readFileSync(resultFile, "utf8").trim()) as Sample;
  fs.rmSync(resultFile);
  return sample;
}

/** A whole process, timed from its start to its end by the parent (Node.js's own start-up included). */
function wholeProcessMs(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: { ...process.env, PULUMI_CONFIG: "", PULUMI_CONFIG_SECRET_KEYS: "" },
    stdio: "ignore",
  });
  if (result.status !== 0) throw new Error(`benchmark command failed: ${args.join(" ")}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// The same cache directory scripts/run-ts.js gives V8, so that the cached floor is like for like.
const compileCache = (require("../scripts/cache.js") as { cacheFolder: (name: string) => string }).cacheFolder("v8");
const FLOOR = ["-e", 'require("@pulumi/pulumi")'];
const FLOOR_CACHED = [
  "-e",
  `require("node:module").enableCompileCache?.(${JSON.stringify(compileCache)}); require("@pulumi/pulumi")`,
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const copy = makeRootImportCopy();
  try {
    const plan: Sample[] = [];
    const baseline: Sample[] = [];
    // Splits the gain: submodule imports alone, still type-checked by ts-node.
    const typeChecked: Sample[] = [];
    // The default `npm run plan`: the plan plus the policy pack's analyzer (its own process, started in parallel).
    const withPolicy: Sample[] = [];
    const wholePlan: number[] = [];
    const floor: number[] = [];
    const floorCached: number[] = [];
    // Interleaved, so drift in machine load hits both sides alike.
    for (let i = 0; i < runs; i++) {
      const planTs = (dir: string) => path.join(dir, "tools", "plan", "plan.ts");
      const tsNode = (dir: string) => ({ TS_NODE_PROJECT: path.join(dir, "tsconfig.json") });
      plan.push(measure([path.join(root, "scripts", "run-ts.js"), planTs(root), "--no-policy"], root));
      baseline.push(measure(["-r", "ts-node/register", planTs(copy), "--no-policy"], copy, tsNode(copy)));
      typeChecked.push(measure(["-r", "ts-node/register", planTs(root), "--no-policy"], root, tsNode(root)));
      withPolicy.push(measure([path.join(root, "scripts", "run-ts.js"), planTs(root)], root));
      floor.push(wholeProcessMs(FLOOR, root));
      floorCached.push(wholeProcessMs(FLOOR_CACHED, root));
      wholePlan.push(wholeProcessMs([path.join(root, "scripts", "run-ts.js"), planTs(root), "--no-policy"], root));
    }
    const tscStart = process.hrtime.bigint();
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", path.join(root, "tsconfig.json")], {
      stdio: "inherit",
    });
    const tscMs = Number(process.hrtime.bigint() - tscStart) / 1e6;

    const summary = {
      runs,
      cpus: os.cpus().length,
      node: process.version,
      planWallMs: median(plan.map((s) => s.wallMs)),
      planMaxRssMb: Math.max(...plan.map((s) => s.maxRssMb)),
      baselineWallMs: median(baseline.map((s) => s.wallMs)),
      baselineMaxRssMb: Math.max(...baseline.map((s) => s.maxRssMb)),
      typeCheckedWallMs: median(typeChecked.map((s) => s.wallMs)),
      typeCheckedMaxRssMb: Math.max(...typeChecked.map((s) => s.maxRssMb)),
      withPolicyWallMs: median(withPolicy.map((s) => s.wallMs)),
      tscNoEmitMs: tscMs,
      wholePlanMs: median(wholePlan),
      floorMs: median(floor),
      floorCachedMs: median(floorCached),
    };
    const ratioWall = summary.planWallMs / summary.baselineWallMs;
    const ratioRss = summary.planMaxRssMb / summary.baselineMaxRssMb;
    const row = (name: string, wall: number, rss: number) =>
      `${name.padEnd(44)} ${(wall / 1000).toFixed(2).padStart(7)} s ${rss.toFixed(0).padStart(6)} MB`;
    console.log(`offline plan of 'dev', median of ${runs} runs (peak RSS: max), ${summary.cpus} CPUs, node ${summary.node}`);
    console.log(row("plan (submodule imports, transpile-only)", summary.planWallMs, summary.planMaxRssMb));
    console.log(row("baseline (azure-native root, ts-node type-check)", summary.baselineWallMs, summary.baselineMaxRssMb));
    console.log(row("for reference: submodules, ts-node type-check", summary.typeCheckedWallMs, summary.typeCheckedMaxRssMb));
    console.log(
      `${"plan + policy pack (default npm run plan)".padEnd(44)} ${(summary.withPolicyWallMs / 1000).toFixed(2).padStart(7)} s   (RSS of the plan process only)`,
    );
    console.log(`ratio plan/baseline: wall ${ratioWall.toFixed(2)}x, peak RSS ${ratioRss.toFixed(2)}x`);
    console.log(`tsc --noEmit over the project: ${(tscMs / 1000).toFixed(1)} s`);
    console.log(
      `whole process: plan --no-policy ${(summary.wholePlanMs / 1000).toFixed(2)} s; floor (node + @pulumi/pulumi) ` +
        `${(summary.floorMs / 1000).toFixed(2)} s, with the compile cache ${(summary.floorCachedMs / 1000).toFixed(2)} s; ` +
        `plan/floor ${(summary.wholePlanMs / summary.floorMs).toFixed(2)}x, plan/cached floor ${(summary.wholePlanMs / summary.floorCachedMs).toFixed(2)}x`,
    );
    const ratioToFloor = summary.wholePlanMs / summary.floorMs;
    const ratioToCachedFloor = summary.wholePlanMs / summary.floorCachedMs;
    console.log(JSON.stringify({ ...summary, ratioWall, ratioRss, ratioToFloor, ratioToCachedFloor }));
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

main();
