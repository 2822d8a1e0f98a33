#!/usr/bin/env node
// Type-check and lint in one pass: each TypeScript project (the root, function/, policies/,
// bootstrap/) is compiled once, its diagnostics reported, and the same programs handed to ESLint
// for the type-aware rules (@pulumi/eslint-plugin's no-output-in-template-literal needs types).
// Linting with `projectService` would build every program a second time. Exit 0 clean, 1 findings.
//
// Incremental, as `tsc --incremental` is: each project's build info (file hashes, each file's
// declaration signature and diagnostics) is kept in node_modules/.cache, and a run type-checks
// only the files TypeScript says are affected — changed, or depending on a declaration that
// changed. The same files are linted again (every lint rule here reads only the file and its
// types), with the files that had lint problems last time; the rest keep last run's clean result.
// When no file either step read has changed since the last clean run, nothing is checked again,
// as `tsc --build` skips a project that is up to date. A new ESLint configuration, dependency,
// TypeScript or this script makes a full run, as does a clean clone. ACS_STATIC_CHECKS_FULL=1 forces one.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");
const { ESLint } = require("eslint");

const projectRoot = path.resolve(__dirname, "..");
/** Every tsconfig the project has; a .ts file outside all of them fails the lint below. */
const TS_PROJECTS = ["tsconfig.json", "function/tsconfig.json", "policies/tsconfig.json", "bootstrap/tsconfig.json"];
const { cacheFolder, writeCacheFile } = require("./cache");
const CACHE_DIR = cacheFolder("static-checks");
const LINT_STATE = path.join(CACHE_DIR, "lint-state.json");
const CLEAN_RUN = path.join(CACHE_DIR, "clean-run.json");
/** A full run however little changed (read once, here). */
const FULL_RUN = process.env.ACS_STATIC_CHECKS_FULL === "1";

/** What every file's lint result depends on besides the file and its types. */
function lintInputsKey() {
  const hash = crypto.createHash("sha256").update(`${process.version}\0${ts.version}\0`);
  for (const file of ["eslint.config.js", "package-lock.json", "scripts/static-checks.js", ...TS_PROJECTS]) {
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(projectRoot, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

/** Last run's lint state: the files that had problems, if it was made with the same inputs. */
function readLintState(key) {
  if (FULL_RUN) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(LINT_STATE, "utf8"));
    return state.key === key && Array.isArray(state.failing) ? new Set(state.failing) : undefined;
  } catch {
    return undefined;
  }
}

const fileHash = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/**
 * Whether the last clean run read exactly these files, unchanged: every file of the projects (and
 * every other file the compiler read outside node_modules, such as an imported package.json) with
 * the same content, no file added, and the same configuration, dependencies and tools.
 */
function unchangedSinceCleanRun(key, tsFiles) {
  if (FULL_RUN) return false;
  try {
    const clean = JSON.parse(fs.readFileSync(CLEAN_RUN, "utf8"));
    if (clean.key !== key || JSON.stringify(clean.tsFiles) !== JSON.stringify(tsFiles)) return false;
    return Object.entries(clean.read).every(([file, hash]) => fileHash(file) === hash);
  } catch {
    return false;
  }
}

// Declaration files (Node's, Pulumi's, azure-native's) are parsed once and shared by all programs.
const sourceFiles = new Map();
function sharedHost(options) {
  const host = ts.createIncrementalCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const key = `${fileName}|${typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion}`;
    let file = sourceFiles.get(key);
    if (!file) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file && fileName.includes(`${path.sep}node_modules${path.sep}`)) sourceFiles.set(key, file);
    }
    return file;
  };
  return host;
}

/**
 * Type-checks one project incrementally: its diagnostics, its program, and which files TypeScript
 * checked again (`isAffected`). `tsconfig` is relative to `root`; the build info goes to `cacheDir`.
 */
function compile(tsconfig, root = projectRoot, cacheDir = CACHE_DIR) {
  const file = path.join(root, tsconfig);
  const config = ts.getParsedCommandLineOfConfigFile(
    file,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error(`${tsconfig} could not be read`);
  const tsBuildInfoFile = path.join(cacheDir, `${tsconfig.replace(/[\\/]/g, "_")}.tsbuildinfo`);
  if (FULL_RUN) fs.rmSync(tsBuildInfoFile, { force: true });
  const options = { ...config.options, noEmit: true, incremental: true, tsBuildInfoFile };
  const host = sharedHost(options);
  host.writeFile = (file, text) => writeCacheFile(file, text);
  const builder = ts.createIncrementalProgram({
    rootNames: config.fileNames,
    options,
    host,
    configFileParsingDiagnostics: config.errors,
  });
  // The files TypeScript checks again — those whose diagnostics the last run's build info cannot
  // give: changed, new, or depending on a declaration that changed (all of them on a first run).
  // Seen where the builder asks the program for a file's diagnostics; were that method gone in
  // another TypeScript, every file counts as checked again, and the lint below is a full one.
  const program = builder.getProgram();
  const checkedAgain = new Set();
  const checkOne = program.getBindAndCheckDiagnostics;
  const tracked = typeof checkOne === "function";
  if (tracked) {
    program.getBindAndCheckDiagnostics = (sourceFile, cancellationToken) => {
      checkedAgain.add(path.resolve(sourceFile.fileName));
      return checkOne.call(program, sourceFile, cancellationToken);
    };
  }
  const diagnostics = [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ];
  builder.emit();
  const isAffected = (file) => !tracked || checkedAgain.has(file);
  return { program, diagnostics, isAffected };
}

/** The .ts files below `dir`, outside dependency and output folders. */
function typeScriptFiles(dir) {
  const skip = new Set(["node_modules", ".git", "bin", "coverage", "reports", ".stryker-tmp", "toolchain"]);
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : typeScriptFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => projectRoot,
  getNewLine: () => "\n",
};

async function main() {
  const started = Date.now();
  let typeErrors = 0;
  const lintResults = [];
  const linted = new Set();
  const lintKey = lintInputsKey();
  const tsFiles = typeScriptFiles(projectRoot);
  if (unchangedSinceCleanRun(lintKey, tsFiles)) {
    process.stdout.write(`static checks: no file changed since the last clean run (${tsFiles.length} files)\n`);
    return 0;
  }
  const failedLastTime = readLintState(lintKey);
  let reused = 0;
  const read = new Set();
  // One project at a time, so that only one program is held in memory: type-check it, then lint
  // the files it holds that no earlier project linted (the root program holds policies/ and much
  // of function/, type-checked again below under their own tsconfigs, as they are built).
  for (const tsconfig of TS_PROJECTS) {
    const { program, diagnostics, isAffected } = compile(tsconfig);
    for (const file of program.getSourceFiles()) {
      if (!file.fileName.includes("/node_modules/")) read.add(path.resolve(file.fileName));
    }
    typeErrors += diagnostics.length;
    if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
    const files = program
      .getRootFileNames()
      .map((f) => path.resolve(f))
      .filter((f) => !linted.has(f));
    files.forEach((f) => linted.add(f));
    const toLint = failedLastTime ? files.filter((f) => isAffected(f) || failedLastTime.has(f)) : files;
    reused += files.length - toLint.length;
    if (toLint.length === 0) continue;
    const eslint = new ESLint({
      cwd: projectRoot,
      overrideConfig: { files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
    });
    lintResults.push(...(await eslint.lintFiles(toLint)));
  }
  // Every .ts file ESLint would lint must be in a project: one that is not is named here.
  const plainLint = new ESLint({ cwd: projectRoot });
  for (const file of tsFiles) {
    if (linted.has(file) || (await plainLint.isPathIgnored(file))) continue;
    const message = {
      ruleId: null,
      severity: 2,
      message: "this file is in no tsconfig project, so nothing type-checks it",
      line: 1,
      column: 1,
    };
    lintResults.push({
      filePath: file,
      messages: [message],
      errorCount: 1,
      warningCount: 0,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      suppressedMessages: [],
    });
  }
  const problems = lintResults.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
  const failing = lintResults.filter((r) => r.errorCount + r.warningCount > 0).map((r) => r.filePath);
  writeCacheFile(LINT_STATE, JSON.stringify({ key: lintKey, failing }));
  if (typeErrors + problems === 0) {
    const hashes = Object.fromEntries([...new Set([...read, ...tsFiles])].sort().map((file) => [file, fileHash(file)]));
    writeCacheFile(CLEAN_RUN, JSON.stringify({ key: lintKey, tsFiles, read: hashes }));
  } else {
    fs.rmSync(CLEAN_RUN, { force: true });
  }
  if (problems > 0) process.stdout.write((await new ESLint({ cwd: projectRoot }).loadFormatter("stylish")).format(lintResults));
  process.stdout.write(
    `static checks: ${typeErrors} type error(s) in ${TS_PROJECTS.length} projects, ${problems} lint problem(s) in ` +
      `${lintResults.length + reused} files${reused ? ` (${reused} unaffected since their last clean lint)` : ""} ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  return typeErrors + problems > 0 ? 1 : 0;
}

module.exports = { compile };

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`static checks could not run: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
