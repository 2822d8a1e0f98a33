import { setUp } from "./tempRoot";
import { startSharedAnalyzers } from "./sharedAnalyzers";

export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  setUp();
  (require("../../scripts/jest-runtime.js") as { boundCodeCache: () => void }).boundCodeCache();
  await startSharedAnalyzers(globalConfig.maxWorkers);
}
