// Ends every jest run with the plain line CI reads: "N passed, N failed[, N skipped]". Under
// `npm test` (scripts/test.js) the counts go to a file instead, and that script prints the line
// once the static checks beside jest are counted too.
const fs = require("node:fs");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // Suites that failed to load count as failures even though none of their tests ran.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const file = process.env.ACS_TEST_SUMMARY_FILE;
    if (file) {
      fs.writeFileSync(file, JSON.stringify({ passed: results.numPassedTests, failed, skipped }));
      return;
    }
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
module.exports = SummaryReporter;
