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

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => projectRoot,
  getNewLine: () => "\n",
};

async function main() {
  const started = Date.now();
  const compiled = TS_PROJECTS.map(compile);
  const diagnostics = compiled.flatMap((c) => c.diagnostics);
  if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
  const typed = Date.now();

  const eslint = new ESLint({
    cwd: projectRoot,
    overrideConfig: {
      files: ["**/*.ts"],
      languageOptions: { parserOptions: { projectService: false, programs: compiled.map((c) => c.program) } },
    },
  });
  const results = await eslint.lintFiles(["."]);
  const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
  if (problems > 0) process.stdout.write((await eslint.loadFormatter("stylish")).format(results));
  const seconds = (ms) => (ms / 1000).toFixed(1);
  process.stdout.write(
    `static checks: ${diagnostics.length} type error(s) in ${TS_PROJECTS.length} projects (${seconds(typed - started)} s), ` +
      `${problems} lint problem(s) in ${results.length} files (${seconds(Date.now() - typed)} s)\n`,
  );
  return diagnostics.length + problems > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`static checks could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
