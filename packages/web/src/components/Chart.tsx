// A chart, with ECharts fetched the first time one is shown (a separate chunk of the build).
import { lazy, Suspense } from 'react';
import { Spin } from 'antd';

const EChart = lazy(() => import('./EChart.tsx'));

export function Chart(props: { option: any; height?: number; testId?: string }) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 280, display: 'grid', placeItems: 'center' }}><Spin /></div>}>
      <EChart {...props} />
    </Suspense>
  );
}
