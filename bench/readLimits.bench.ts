/**
 * `npm run bench:limits`: what the bounded file reader costs against a plain read, in the same
 * process: a `pulumi stack export` of BENCH_RESOURCES resources (bench/largeStackExport.ts) read
 * with `readJsonFile` (size checked before and while reading, nesting measured after parsing)
 * against `fs.readFileSync` + `JSON.parse`, interleaved, median of BENCH_RUNS. Prints a table and
 * a JSON line; no assertion on time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { largeStackExport } from "./largeStackExport";
import { readJsonFile } from "../tools/shared/readFiles";
import { MAX_STATE_EXPORT_BYTES } from "../tools/policy/policy";

const runs = Number(process.env.BENCH_RUNS ?? 7);
const resources = Number(process.env.BENCH_RESOURCES ?? 20_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
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
    console.log(JSON.stringify(summary));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
