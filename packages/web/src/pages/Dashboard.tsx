// Targets and alerts of a cycle, measured on its approved data: each target against the
// document's figure (bar), the latest computation's awards by district (bar) and by clause,
// and the alerts (leverage, concentration, 支小支农 share, fees…) with the article they cite.
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
        const r = nameOf.get(regionOf.get(a.recipient) ?? '') ?? '其他（企业等）';
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
