import { LEDGER_MARKER } from "../function/src/ledger";

/**
 * The delivery ledger's records as KQL reads them from Application Insights' `traces`: the lines
 * that start with the marker, each parsed into `record` (function/src/ledger.ts writes them). The
 * alerts, the workbook and `doctor trace` all start from here.
 */
export const LEDGER_RECORDS_KQL = [
  "traces",
  `| where message startswith "${LEDGER_MARKER}"`,
  `| extend record = parse_json(substring(message, ${LEDGER_MARKER.length}))`,
].join("\n");
