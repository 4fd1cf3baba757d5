// An award's explanation, step by step as the traced evaluator recorded it: each step's label,
// formula, value, the clause it comes from, and the input rows (file:row and the values used).
import { useContext } from 'react';
import { Tag, Timeline, Typography } from 'antd';
import { DataTable } from './DataTable.tsx';
import { LangCtx } from '../i18n.ts';

export interface TraceStep { label: string; expr?: string; exprZh?: string; value: string; cite: string; note?: string; rows?: { source: string; id?: string; values: Record<string, string> }[]; rowsOmitted?: number }

export function Trace({ steps }: { steps: TraceStep[] }) {
  const { lang } = useContext(LangCtx);
  return (
    <Timeline
      data-testid="trace"
      items={steps.map((s, i) => ({
        key: i,
        children: (
          <div>
            <Typography.Text strong>{s.label}</Typography.Text>：<Typography.Text code>{s.value}</Typography.Text>
            {/* The formula in words in Chinese, as written in the policy file in English; hovering shows the other. */}
            {s.expr && <div><Typography.Text type="secondary" style={{ fontSize: 12 }} title={lang === 'zh' ? s.expr : s.exprZh} data-testid="formula">
              {lang === 'zh' ? `公式：${s.exprZh ?? s.expr}` : `Formula: ${s.expr}`}
            </Typography.Text></div>}
            {s.note && <div style={{ fontSize: 12 }}>{s.note}</div>}
            <div><Tag color="geekblue" style={{ marginTop: 4 }}>{s.cite}</Tag></div>
            {s.rows && s.rows.length > 0 && (
              <DataTable exportTitle={`计算过程-${s.label}`.slice(0, 60)} size="small" style={{ marginTop: 6 }} rowKey={(r) => r.source} pagination={{ pageSize: 5, size: 'small' }} dataSource={s.rows}
                columns={[
                  { title: '输入行', dataIndex: 'source', width: 150 },
                  { title: '编号', dataIndex: 'id', width: 140 },
                  { title: '所用数值', render: (_, r) => Object.entries(r.values).map(([k, v]) => <div key={k} style={{ fontSize: 12 }} title={k}>{valueName(k, lang)}：{v}</div>), exportValue: (r) => Object.entries(r.values).map(([k, v]) => `${k}：${v}`).join('；') },
                ]} />
            )}
            {s.rowsOmitted ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>另有 {s.rowsOmitted} 行未列出</Typography.Text> : null}
          </div>
        ),
      }))}
    />
  );
}

// A used value is keyed "name 中文名" (or just one of them): Chinese readers see the label, others the name.
function valueName(key: string, lang: string): string {
  const at = key.indexOf(' ');
  if (at < 0) return key;
  return lang === 'zh' ? key.slice(at + 1) : key.slice(0, at);
}
