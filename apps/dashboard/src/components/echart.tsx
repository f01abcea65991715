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
import type { ChartOption } from './chart-options';

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

const prefersDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** An ECharts chart that follows the system theme and its container's size (loaded lazily: see Chart). */
export function EChart({
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
