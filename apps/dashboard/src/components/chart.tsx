import { useEffect, useState } from 'preact/hooks';
import type { ChartOption } from './chart-options';

interface ChartProps {
  option: ChartOption;
  height?: number;
  label: string;
}

type EChartModule = typeof import('./echart');
let echartModule: Promise<EChartModule> | undefined;

/**
 * A chart. ECharts is its own chunk, loaded when the first chart is drawn: the figures and tables
 * of a page show without waiting for it, and the first page's bundle stays small.
 */
export function Chart(props: ChartProps) {
  const [module, setModule] = useState<EChartModule>();
  useEffect(() => {
    let mounted = true;
    void (echartModule ??= import('./echart')).then((loaded) => mounted && setModule(loaded));
    return () => {
      mounted = false;
    };
  }, []);
  if (!module)
    return (
      <div
        class="chart"
        style={{ height: `${props.height ?? 260}px` }}
        aria-busy="true"
        aria-label={props.label}
      />
    );
  return <module.EChart {...props} />;
}
