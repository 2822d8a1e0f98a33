/**
 * `npm run bench:limits`: what the bounded file reader costs against a plain read, in the same
 * process: a `pulumi stack export` of BENCH_RESOURCES resources (bench/largeStackExport.ts) read
 * with `readJsonFile` (size checked before and while reading, nesting measured after parsing)
 * against `fs.readFileSync` + `JSON.parse`, interleaved, median of BENCH_RUNS. Then the memory an
 * export costs the whole `policy --state` run: an export holding one string of BENCH_STRING_MB
 * (the shape that once took 1.8 GB for 50 MB) against a one-resource export, peak RSS of the tool
 * and of the pack's server (bench/measurePolicy.js), as multiples of the file's size. Prints a
 * table and a JSON line; no assertion on time.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { largeStackExport } from "./largeStackExport";
import { readJsonFile } from "../tools/shared/readFiles";
import { MAX_STATE_EXPORT_BYTES } from "../tools/policy/policy";

const runs = Number(process.env.BENCH_RUNS ?? 7);
const resources = Number(process.env.BENCH_RESOURCES ?? 20_000);
const stringMb = Number(process.env.BENCH_STRING_MB ?? 50);
const root = path.resolve(__dirname, "..");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** An export of one stack resource whose one output is a string of `megabytes` MB. */
function oneStringExport(megabytes: number): object {
  const urn = "urn:pulumi:dev::acs-notifications::pulumi:pulumi:Stack::acs-notifications-dev";
  const outputs = { big: "a".repeat(Math.round(megabytes * 1024 * 1024)) };
  return { version: 3, deployment: { manifest: {}, resources: [{ urn, type: "pulumi:pulumi:Stack", custom: false, outputs }] } };
}

/** Peak RSS (MB) of `npm run policy -- --state FILE` and of its pack server. */
function policyPeak(file: string): { toolRssMb: number; packRssMb: number } {
  const resultFile = `${file}.measure.jsonl`;
  const run = spawnSync(
    process.execPath,
    [
      "-r",
      path.join(root, "bench", "measurePolicy.js"),
      path.join(root, "scripts", "run-ts.js"),
      path.join(root, "tools", "policy", "policy.ts"),
      "--state",
      file,
    ],
    { cwd: root, encoding: "utf8", env: { ...process.env, BENCH_RESULT_FILE: resultFile } },
  );
  if (run.status !== 0) throw new Error(`policy --state ${file} ended with ${run.status}: ${run.stderr}`);
  return JSON.parse(fs.readFileSync(resultFile, "utf8").trim());
}

function memoryOfOneString(dir: string) {
  const small = path.join(dir, "small.json");
  const large = path.join(dir, "large.json");
  fs.writeFileSync(small, JSON.stringify(oneStringExport(0.001)));
  fs.writeFileSync(large, JSON.stringify(oneStringExport(stringMb)));
  const fileMb = fs.statSync(large).size / (1024 * 1024);
  const floor = policyPeak(small);
  const peak = policyPeak(large);
  const result = {
    fileMb,
    toolFloorMb: floor.toolRssMb,
    toolPeakMb: peak.toolRssMb,
    toolPerFileSize: (peak.toolRssMb - floor.toolRssMb) / fileMb,
    packFloorMb: floor.packRssMb,
    packPeakMb: peak.packRssMb,
    packPerFileSize: (peak.packRssMb - floor.packRssMb) / fileMb,
  };
  console.log(
    `policy --state, one ${fileMb.toFixed(0)} MB string: tool ${result.toolPeakMb.toFixed(0)} MB peak ` +
      `(${result.toolFloorMb.toFixed(0)} MB for a tiny export: ${result.toolPerFileSize.toFixed(1)}x the file above it), ` +
      `pack server ${result.packPeakMb.toFixed(0)} MB (${result.packFloorMb.toFixed(0)} MB: ${result.packPerFileSize.toFixed(1)}x)`,
  );
  return result;
}

function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-bench-limits-"));
  try {
    const file = path.join(dir, "export.json");
    fs.writeFileSync(file, JSON.stringify(largeStackExport(resources)));
    const bytes = fs.statSync(file).size;
    const bounded: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < runs; i++) {
      bounded.push(timed(() => readJsonFile(file, "the state export", { maxBytes: MAX_STATE_EXPORT_BYTES })));
      plain.push(timed(() => JSON.parse(fs.readFileSync(file, "utf8"))));
    }
    const summary = {
      runs,
      resources,
      megabytes: bytes / (1024 * 1024),
      boundedMs: median(bounded),
      plainMs: median(plain),
      ratio: median(bounded) / median(plain),
    };
    console.log(
      `${resources} resources, ${summary.megabytes.toFixed(1)} MB: bounded read ${summary.boundedMs.toFixed(0)} ms, ` +
        `plain read ${summary.plainMs.toFixed(0)} ms, ratio ${summary.ratio.toFixed(2)}x (median of ${runs})`,
    );
    console.log(JSON.stringify({ ...summary, oneString: memoryOfOneString(dir) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
