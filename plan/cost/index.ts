/** The cost estimate of a plan: estimator, price table, report renderers. */
export { estimateCost, costDelta } from "./estimate";
export type { CostEstimate, CostDelta, CostLine } from "./estimate";
export { loadPriceTable, PriceTable, PRICES_FILE } from "./table";
export { renderCostText, renderCostMarkdown } from "./render";
