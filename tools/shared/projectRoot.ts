import * as path from "node:path";

/** The project's root directory, wherever a tool is started from (a test, a bench or another directory's npm). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
