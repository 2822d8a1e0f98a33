// Ends every jest run with the plain line CI reads: "N passed, N failed[, N skipped]". Under
// `npm test` (scripts/test.js) the counts go to a file instead, and that script prints the line
// once the static checks beside jest are counted too.
const fs = require("node:fs");

/** The plain line CI reads. */
function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

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
    process.stdout.write(`\n${summaryLine({ passed: results.numPassedTests, failed, skipped })}\n`);
  }
}
module.exports = SummaryReporter;
module.exports.summaryLine = summaryLine;
