/** An ECharts option (kept loose here, so the first bundle does not import ECharts' types). */
export type ChartOption = Record<string, unknown>;

/** A line chart of one or more series over the same category axis (days, weeks). */
export function lineOption(categories: string[], series: { name: string; data: number[] }[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ ...s, type: 'line', showSymbol: categories.length < 40 })),
  };
}

/** A horizontal bar chart of named counts, largest first. */
export function barOption(items: { name: string; value: number }[]): ChartOption {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 120, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: {
      type: 'category',
      data: sorted.map((i) => i.name),
      axisLabel: { width: 110, overflow: 'truncate' },
    },
    series: [{ type: 'bar', data: sorted.map((i) => i.value) }],
  };
}
