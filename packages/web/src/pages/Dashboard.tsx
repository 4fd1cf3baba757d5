// Targets and alerts of a cycle, measured on its approved data: each target against the
// document's figure (bar), month-end balances this year against last year with 同比 (lines), the
// latest computation's awards by district (bar), and the alerts (leverage, concentration,
// 支小支农 share, fees…) with the article they cite.
import { useParams } from 'react-router-dom';
import { Card, Col, Empty, Row, Spin, Table, Tag } from 'antd';
import { Chart } from '../components/Chart.tsx';
import { ExportButton, PageTitle, useLoad } from '../components/common.tsx';
import { formatMoney, fen } from '../money.ts';
import { useT } from '../i18n.ts';
import { useEffect, useState } from 'react';
import { get } from '../api.ts';

const num = (s: string) => {
  const m = /-?[\d.]+/.exec(String(s).replaceAll(',', ''));
  return m ? Number(m[0]) : null;
};

const MONTHS = Array.from({ length: 12 }, (_, m) => `${m + 1}月`);
const yi = (v: string | null) => (v === null ? null : Number(formatMoney(v, '亿元').replaceAll(',', '')));
// "17.74…%": the server marks a rounded percentage with an ellipsis.
const pctNum = (v: string | null) => (v === null ? null : Number(v.replace(/[%…]/g, '')));

export function Dashboard() {
  const { id } = useParams();
  const t = useT();
  const { data, loading } = useLoad<any>(`/api/cycles/${id}/monitoring`);
  const [byRegion, setByRegion] = useState<{ region: string; fen: bigint }[] | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    (async () => {
      const comps: any[] = await get(`/api/cycles/${id}/computations`);
      const last = comps.filter((c) => c.status !== 'failed' && c.status !== 'queued' && c.status !== 'running').at(-1);
      if (!last) return setByRegion([]);
      const [k, units, regions] = await Promise.all([get(`/api/computations/${last.id}`), get('/api/units'), get('/api/regions')]);
      const regionOf = new Map<string, string>((units as any[]).filter((u) => u.uscc).map((u) => [u.uscc, u.region]));
      setNames(new Map((units as any[]).filter((u) => u.uscc).map((u) => [u.uscc, u.name])));
      const nameOf = new Map<string, string>((regions as any[]).map((r) => [r.code, r.name]));
      const m = new Map<string, bigint>();
      for (const a of k.result?.awards ?? []) {
        const code = regionOf.get(a.recipient);
        const r = code ? nameOf.get(code) ?? code : '其他（企业等）';
        m.set(r, (m.get(r) ?? 0n) + fen(a.amount));
      }
      setByRegion([...m].map(([region, f]) => ({ region, fen: f })).sort((a, b) => (b.fen > a.fen ? 1 : -1)));
    })().catch(() => setByRegion([]));
  }, [id]);
  if (loading && !data) return <Spin />;
  const targets: any[] = data?.targets ?? [];
  const alerts: any[] = (data?.alerts ?? []).map((a: any) => ({ ...a, name: names.get(a.institution) ?? a.institution }));
  // Completion (actual ÷ target) for the chart only: targets have different units, so each is shown as a share of its own target.
  const completion = targets.map((x) => { const a = num(x.actual); const b = num(x.target); return a !== null && b ? Math.round((a / b) * 1000) / 10 : null; });
  const trends: any[] = data?.trends ?? [];
  const trendRows = trends.flatMap((s) => MONTHS.map((month, m) => ({ series: s.zh, month, thisYear: s.thisYear[m], lastYear: s.lastYear[m], yoy: s.yoy[m], sinceYearStart: s.sinceYearStart[m] })));
  const yuan = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
  return (
    <>
      <PageTitle>{t('监测看板')} · {id}</PageTitle>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={12}>
          <Card size="small" title={t('目标完成率（实际值 ÷ 目标值，%）')}>
            {targets.length ? <Chart height={260} testId="targets-chart" option={{
              tooltip: { trigger: 'axis' }, grid: { left: 50, right: 20, top: 20, bottom: 50 },
              xAxis: { type: 'category', data: targets.map((x) => x.zh), axisLabel: { interval: 0, width: 150, overflow: 'truncate' } },
              yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
              series: [{
                name: '完成率', type: 'bar', barMaxWidth: 60, data: completion.map((v, i) => ({ value: v, itemStyle: { color: targets[i].met ? '#52c41a' : '#f5222d' } })),
                label: { show: true, position: 'top', formatter: '{c}%' },
                markLine: { symbol: 'none', data: [{ yAxis: 100, name: '目标' }], lineStyle: { color: '#faad14', type: 'dashed' }, label: { formatter: '目标 100%' } },
              }],
            }} /> : <Empty />}
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('资金按地区（万元）')}>
            {byRegion?.length ? <Chart height={260} testId="region-chart" option={{
              tooltip: {}, grid: { left: 60, right: 10, top: 10, bottom: 40 },
              xAxis: { type: 'category', data: byRegion.map((r) => r.region), axisLabel: { interval: 0 } },
              yAxis: { type: 'value' },
              series: [{ type: 'bar', data: byRegion.map((r) => Number(formatMoney(yuan(r.fen), '万元').replaceAll(',', ''))), itemStyle: { color: '#b7202e' } }],
            }} /> : <Empty description="尚无计算结果" />}
          </Card>
        </Col>
      </Row>
      {trends.length > 0 && (
        <Card size="small" style={{ marginBottom: 16 }} title={t('月末余额走势、同比与比年初（亿元）')}
          extra={<ExportButton title="月末余额走势" rows={trendRows} columns={[{ key: 'series', title: '指标' }, { key: 'month', title: '月份' }, { key: 'thisYear', title: `${data.year}年（元）`, money: true }, { key: 'lastYear', title: `${data.year - 1}年（元）`, money: true }, { key: 'yoy', title: '同比' }, { key: 'sinceYearStart', title: '比年初' }]} />}>
          <Row gutter={16}>
            {trends.map((s) => (
              <Col span={24 / trends.length} key={s.code}>
                <Chart height={240} testId={`trend-${s.code}`} option={{
                  title: { text: s.zh, left: 'center', textStyle: { fontSize: 13, fontWeight: 'normal' } },
                  tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: { left: 55, right: 55, top: 36, bottom: 50 },
                  xAxis: { type: 'category', data: MONTHS },
                  yAxis: [{ type: 'value', name: '亿元', scale: true }, { type: 'value', name: '增长 %', scale: true, splitLine: { show: false } }],
                  // Line heights in 亿元 for display only; the exact yuan are in the export.
                  series: [
                    { name: `${data.year}年`, type: 'line', data: s.thisYear.map(yi), itemStyle: { color: '#b7202e' } },
                    { name: `${data.year - 1}年`, type: 'line', data: s.lastYear.map(yi), lineStyle: { type: 'dashed' }, itemStyle: { color: '#8c8c8c' } },
                    { name: '同比', type: 'bar', yAxisIndex: 1, barMaxWidth: 14, data: s.yoy.map(pctNum), itemStyle: { color: '#91caff' } },
                    { name: '比年初', type: 'line', yAxisIndex: 1, symbol: 'none', data: s.sinceYearStart.map(pctNum), lineStyle: { type: 'dotted' }, itemStyle: { color: '#fa8c16' } },
                  ],
                }} />
              </Col>
            ))}
          </Row>
        </Card>
      )}
      <Row gutter={16}>
        <Col span={12}>
          <Card size="small" title={t('目标')} extra={<ExportButton title="目标完成情况" rows={targets} columns={[{ key: 'zh', title: '指标' }, { key: 'actual', title: '实际值' }, { key: 'target', title: '目标值' }, { key: 'met', title: '是否达标' }, { key: 'cite', title: '依据' }]} />}>
            <Table rowKey="code" size="small" pagination={false} dataSource={targets}
              columns={[
                { title: t('指标'), dataIndex: 'zh', ellipsis: true },
                { title: t('实际值'), dataIndex: 'actual', width: 110, align: 'right' },
                { title: t('目标值'), dataIndex: 'target', width: 100, align: 'right' },
                { title: '', dataIndex: 'met', width: 70, render: (v) => (v ? <Tag color="green">{t('达标')}</Tag> : <Tag color="red">{t('未达标')}</Tag>) },
              ]} />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={`${t('预警')}（${alerts.length}）`} extra={<ExportButton title="预警" rows={alerts} columns={[{ key: 'institution', title: '统一社会信用代码' }, { key: 'name', title: '机构' }, { key: 'zh', title: '预警' }, { key: 'value', title: '数值' }, { key: 'limit', title: '界限' }, { key: 'cite', title: '依据' }]} />}>
            <Table rowKey={(r: any) => r.code + r.institution} size="small" pagination={{ pageSize: 6 }} dataSource={alerts}
              columns={[
                { title: t('机构'), dataIndex: 'name', width: 190, ellipsis: true },
                { title: t('预警'), dataIndex: 'zh', ellipsis: true },
                { title: t('数值'), dataIndex: 'value', width: 90, align: 'right' },
                { title: t('界限'), dataIndex: 'limit', width: 80 },
              ]} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
