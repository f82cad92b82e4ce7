// Shared geometry: every chart and state band leaves the same room left and right of the plot,
// so that one time lines up across all of them.

/** Width reserved for the y axis of every chart. */
export const yAxisWidth = 56;

/** Margins of every chart's plot area. */
export const chartMargin = { top: 6, right: 16, bottom: 0, left: 0 } as const;
