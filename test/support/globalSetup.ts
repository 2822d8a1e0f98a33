import { setUp } from "./tempRoot";
import { startSharedAnalyzers } from "./sharedAnalyzers";

export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  setUp();
  await startSharedAnalyzers(globalConfig.maxWorkers);
}
