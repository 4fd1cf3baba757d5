// ECharts in a div; resized with the window. Only the chart types used are registered. Loaded
// on demand through Chart.tsx, so pages without charts do not download ECharts.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, MarkLineComponent, CanvasRenderer]);

export default function EChart({ option, height = 280, testId }: { option: any; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    c.setOption({ textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' }, animation: false, ...option });
    const onResize = () => c.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      c.dispose();
    };
  }, [JSON.stringify(option)]);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}
