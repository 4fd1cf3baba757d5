// An award's explanation, step by step as the traced evaluator recorded it: each step's label,
// formula, value, the clause it comes from, and the input rows (file:row and the values used).
import { Tag, Timeline, Typography } from 'antd';
import { DataTable } from './DataTable.tsx';

export interface TraceStep { label: string; expr?: string; value: string; cite: string; note?: string; rows?: { source: string; id?: string; values: Record<string, string> }[]; rowsOmitted?: number }

export function Trace({ steps }: { steps: TraceStep[] }) {
  return (
    <Timeline
      data-testid="trace"
      items={steps.map((s, i) => ({
        key: i,
        children: (
          <div>
            <Typography.Text strong>{s.label}</Typography.Text>：<Typography.Text code>{s.value}</Typography.Text>
            {s.expr && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>公式 {s.expr}</Typography.Text></div>}
            {s.note && <div style={{ fontSize: 12 }}>{s.note}</div>}
            <div><Tag color="geekblue" style={{ marginTop: 4 }}>{s.cite}</Tag></div>
            {s.rows && s.rows.length > 0 && (
              <DataTable exportTitle={`计算过程-${s.label}`.slice(0, 60)} size="small" style={{ marginTop: 6 }} rowKey={(r) => r.source} pagination={{ pageSize: 5, size: 'small' }} dataSource={s.rows}
                columns={[
                  { title: '输入行', dataIndex: 'source', width: 150 },
                  { title: '编号', dataIndex: 'id', width: 140 },
                  { title: '所用数值', render: (_, r) => Object.entries(r.values).map(([k, v]) => <div key={k} style={{ fontSize: 12 }}>{k}：{v}</div>), exportValue: (r) => Object.entries(r.values).map(([k, v]) => `${k}：${v}`).join('；') },
                ]} />
            )}
            {s.rowsOmitted ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>另有 {s.rowsOmitted} 行未列出</Typography.Text> : null}
          </div>
        ),
      }))}
    />
  );
}
