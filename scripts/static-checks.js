#!/usr/bin/env node
// Type-check and lint in one pass: each TypeScript project (the root, function/, policies/,
// bootstrap/) is compiled once, its diagnostics reported, and the same programs handed to ESLint
// for the type-aware rules (@pulumi/eslint-plugin's no-output-in-template-literal needs types).
// Linting with `projectService` would build every program a second time. Exit 0 clean, 1 findings.
"use strict";
const path = require("node:path");
const ts = require("typescript");
const { ESLint } = require("eslint");

const projectRoot = path.resolve(__dirname, "..");
/** Every tsconfig the project has; a .ts file outside all of them fails the lint below. */
const TS_PROJECTS = ["tsconfig.json", "function/tsconfig.json", "policies/tsconfig.json", "bootstrap/tsconfig.json"];

// Declaration files (Node's, Pulumi's, azure-native's) are parsed once and shared by all programs.
const sourceFiles = new Map();
function sharedHost(options) {
  const host = ts.createCompilerHost(options);
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

function compile(tsconfig) {
  const file = path.join(projectRoot, tsconfig);
  const config = ts.getParsedCommandLineOfConfigFile(
    file,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error(`${tsconfig} could not be read`);
  const options = { ...config.options, noEmit: true };
  const program = ts.createProgram({ rootNames: config.fileNames, options, host: sharedHost(options) });
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
  return { program, diagnostics };
}

/** The .ts files below `dir`, outside dependency and output folders. */
function typeScriptFiles(dir) {
  const skip = new Set(["node_modules", ".git", "bin", "coverage", "reports", ".stryker-tmp", "toolchain"]);
  return require("node:fs")
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
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
  // One project at a time, so that only one program is held in memory: type-check it, then lint
  // the files it holds that no earlier project linted (the root program holds policies/ and much
  // of function/, type-checked again below under their own tsconfigs, as they are built).
  for (const tsconfig of TS_PROJECTS) {
    const { program, diagnostics } = compile(tsconfig);
    typeErrors += diagnostics.length;
    if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
    const files = program
      .getRootFileNames()
      .map((f) => path.resolve(f))
      .filter((f) => !linted.has(f));
    files.forEach((f) => linted.add(f));
    if (files.length === 0) continue;
    const eslint = new ESLint({
      cwd: projectRoot,
      overrideConfig: { files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
    });
    lintResults.push(...(await eslint.lintFiles(files)));
  }
  // Every .ts file ESLint would lint must be in a project: one that is not is named here.
  const plainLint = new ESLint({ cwd: projectRoot });
  for (const file of typeScriptFiles(projectRoot)) {
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
  if (problems > 0) process.stdout.write((await new ESLint({ cwd: projectRoot }).loadFormatter("stylish")).format(lintResults));
  process.stdout.write(
    `static checks: ${typeErrors} type error(s) in ${TS_PROJECTS.length} projects, ${problems} lint problem(s) in ` +
      `${lintResults.length} files (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  return typeErrors + problems > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`static checks could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
