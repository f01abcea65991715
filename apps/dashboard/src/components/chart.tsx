import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

// Only what the pages draw is bundled (ECharts is tree-shaken by its own modules).
echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  PieChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

const prefersDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** An ECharts chart that follows the system theme and its container's size. */
export function Chart({
  option,
  height = 260,
  label,
}: {
  option: ChartOption;
  height?: number;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let chart = echarts.init(element, prefersDark() ? 'dark' : undefined, { renderer: 'canvas' });
    chart.setOption({ backgroundColor: 'transparent', ...option });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const retheme = () => {
      chart.dispose();
      chart = echarts.init(element, prefersDark() ? 'dark' : undefined, { renderer: 'canvas' });
      chart.setOption({ backgroundColor: 'transparent', ...option });
    };
    scheme.addEventListener('change', retheme);
    return () => {
      scheme.removeEventListener('change', retheme);
      resize.disconnect();
      chart.dispose();
    };
  }, [JSON.stringify(option)]);
  return <div ref={box} class="chart" style={{ height: `${height}px` }} role="img" aria-label={label} />;
}

/** A line chart of one or more series over the same category axis (days, weeks). */
export function lineOption(categories: string[], series: { name: string; data: number[] }[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ ...s, type: 'line', smooth: true, showSymbol: categories.length < 40 })),
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
