import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The push sender, bundled and zipped for OneDeploy. */
export interface FunctionPackage {
  readonly path: string;
  /** SHA-256 of the zip: the deployment re-runs when, and only when, this changes. */
  readonly sha256: string;
  readonly bytes: number;
}

export const FUNCTION_DIR = path.resolve(__dirname, "..", "..", "function");

// Fixed timestamps make the zip byte-for-byte reproducible, so an unchanged function never redeploys.
const ZIP_EPOCH = new Date("2020-01-01T00:00:00Z");

function sourceKey(functionDir: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      .sort();
  const lockfile = path.resolve(functionDir, "..", "package-lock.json");
  for (const file of [
    ...walk(path.join(functionDir, "src")),
    path.join(functionDir, "host.json"),
    path.join(functionDir, "package.json"),
    lockfile,
  ]) {
    if (fs.existsSync(file)) hash.update(path.relative(functionDir, file)).update(fs.readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The package for the current sources, built once: a zip for the same sources and lockfile is
 * reused, so a plan or `pulumi up` with no function change pays nothing for it.
 */
export function functionPackage(
  outDir = path.resolve(__dirname, "..", "..", ".build"),
  functionDir = FUNCTION_DIR,
): FunctionPackage {
  const cached = path.join(outDir, `push-sender-${sourceKey(functionDir)}.zip`);
  if (fs.existsSync(cached)) {
    const zip = fs.readFileSync(cached);
    return { path: cached, sha256: createHash("sha256").update(zip).digest("hex"), bytes: zip.length };
  }
  const built = buildFunctionPackage(outDir, functionDir);
  fs.renameSync(built.path, cached);
  return { ...built, path: cached };
}

/**
 * Bundles function/src into one minified file (the Functions host provides @azure/functions-core),
 * adds host.json and a package.json pointing at it, and writes a deterministic zip to `outDir`.
 */
export function buildFunctionPackage(
  outDir = path.resolve(__dirname, "..", "..", ".build"),
  functionDir = FUNCTION_DIR,
): FunctionPackage {
  // The bundler and the zip writer are loaded here, when a package is built: a program whose package
  // is already built for these sources (the usual preview) does not load them.
  const { buildSync } = require("esbuild") as typeof import("esbuild");
  const { zipSync } = require("fflate") as typeof import("fflate");
  const bundle = buildSync({
    entryPoints: [path.join(functionDir, "src", "index.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    external: ["@azure/functions-core"],
    write: false,
    absWorkingDir: functionDir,
    logLevel: "silent",
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(functionDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const files = {
    "host.json": fs.readFileSync(path.join(functionDir, "host.json")),
    "package.json": Buffer.from(JSON.stringify({ name: manifest.name, version: manifest.version, main: "dist/index.js" })),
    "dist/index.js": bundle.outputFiles[0].contents,
  };
  const zip = zipSync(
    Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [new Uint8Array(data), { mtime: ZIP_EPOCH }]])),
    { level: 9, mtime: ZIP_EPOCH },
  );
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, "push-sender.zip");
  fs.writeFileSync(file, zip);
  return { path: file, sha256: createHash("sha256").update(zip).digest("hex"), bytes: zip.length };
}
