// A computation: progress while it runs; then the result. Ledger programmes: totals per clause and
// per recipient in 元/万元/亿元 that add up, drill-down from the total to a recipient, its awards
// clause by clause, and each award's trace to the input rows. Evaluation programmes: the ranking
// and each unit's 计分表. The bureau approves and publishes (公示).
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Collapse, Drawer, InputNumber, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { get, post } from '../api.ts';
import { useMe } from '../App.tsx';
import { Chart } from '../components/Chart.tsx';
import { ExportButton, PageTitle, StatusTag, UnitSwitch } from '../components/common.tsx';
import { Trace } from '../components/Trace.tsx';
import { Objections } from '../components/Objections.tsx';
import { formatColumn, formatMoney, sumYuan, type MoneyUnit } from '../money.ts';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

export function Computation() {
  const { id } = useParams();
  const t = useT();
  const { me } = useMe();
  const { message } = App.useApp();
  const [k, setK] = useState<any>(null);
  const [days, setDays] = useState(7);
  const load = async () => setK(await get(`/api/computations/${id}`));
  useEffect(() => {
    load();
  }, [id]);
  useEffect(() => {
    if (!k || (k.status !== 'queued' && k.status !== 'running')) return;
    const h = setTimeout(load, 800);
    return () => clearTimeout(h);
  }, [k]);
  if (!k) return null;
  const act = async (url: string, body?: unknown) => {
    try {
      await post(url, body);
      message.success('已完成');
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const admin = me?.role === 'bureau_admin';
  return (
    <>
      <PageTitle extra={
        <Space>
          <StatusTag status={k.status} />
          {admin && k.status === 'done' && <Button type="primary" onClick={() => act(`/api/computations/${id}/approve`)} data-testid="approve-result">{t('批准结果')}</Button>}
          {admin && k.status === 'approved' && <>
            <span>公示天数</span><InputNumber size="small" min={5} max={30} value={days} onChange={(v) => setDays(v ?? 7)} style={{ width: 64 }} />
            <Button type="primary" onClick={() => act(`/api/computations/${id}/publish`, { noticeDays: days })} data-testid="publish">{t('发布公示')}</Button>
          </>}
          {k.status === 'published' && <Link to={`/public/results/${id}`}>公示页面（{t('公示期至')} {k.notice_until}）</Link>}
        </Space>
      }>
        <Link to={`/cycles/${k.cycle_id}`}>{k.programme_title ?? k.cycle_id} · {k.year} {t('年度')}</Link> · {t('计算结果')}
      </PageTitle>
      {(k.status === 'queued' || k.status === 'running') && (
        <Card size="small"><Progress percent={k.progress} status="active" data-testid="progress" /><div>{k.stage}</div></Card>
      )}
      {k.status === 'failed' && <Alert type="error" title={k.error} />}
      {k.result && k.result.awards && <PolicyResultView k={k} />}
      {k.result && k.result.results && <EvaluationView k={k} />}
      {admin && k.status === 'published' && <Objections computation={k.id} />}
    </>
  );
}

interface Award { clause: string; recipient: string; recipient_name?: string; amount: string; citation: string; trace?: any[] }

export function PolicyResultView({ k, publicView = false }: { k: any; publicView?: boolean }) {
  const t = useT();
  const [unit, setUnit] = useState<MoneyUnit>('元');
  const [focus, setFocus] = useState<string | null>(null);
  const r = k.result;
  const awards: Award[] = r.awards;
  const recipients = useMemo(() => {
    const m = new Map<string, { recipient: string; name: string; amounts: string[]; clauses: string[] }>();
    for (const a of awards) {
      const e = m.get(a.recipient) ?? { recipient: a.recipient, name: a.recipient_name ?? a.recipient, amounts: [], clauses: [] };
      e.amounts.push(a.amount);
      e.clauses.push(a.clause);
      m.set(a.recipient, e);
    }
    return [...m.values()].map((e) => ({ ...e, total: sumYuan(e.amounts) })).sort((a, b) => (BigInt(b.total.replace('.', '')) > BigInt(a.total.replace('.', '')) ? 1 : -1));
  }, [awards]);
  const recCol = formatColumn(recipients.map((x) => x.total), unit);
  const clauses = (r.clauses as any[]).filter((c) => c.status !== 'out_of_period' || c.total !== '0.00');
  const clauseCol = formatColumn(clauses.map((c) => c.total), unit);
  const recRows = recipients.map((x, i) => ({ ...x, shown: recCol.rows[i] }));
  const focusAwards = awards.filter((a) => a.recipient === focus);
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}><Card size="small"><Statistic title={`${t('合计')}（${unit}）`} value={formatMoney(r.total, unit)} data-testid="grand-total" /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t('获得资金的对象')} value={recipients.length} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t('奖补项')} value={awards.length} /></Card></Col>
        <Col span={6}><Card size="small"><Space orientation="vertical" size={4}><span>{t('金额单位')}</span><UnitSwitch value={unit} onChange={setUnit} /></Space></Card></Col>
      </Row>
      {(r.unset?.length > 0 || r.warnings?.length > 0) && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={r.unset?.length ? `未设定的参数：${r.unset.join('、')}（相关条款未计算，须由财政局给定）` : '计算提示'}
          description={r.warnings?.slice(0, 5).join('；')} />
      )}
      <Row gutter={16}>
        <Col span={10}>
          <Card size="small" title={t('按条款')} style={{ marginBottom: 16 }} extra={!publicView && <ExportButton title="按条款汇总" rows={clauses} columns={[{ key: 'clause', title: '条款' }, { key: 'title', title: '名称' }, { key: 'recipients', title: '对象数' }, { key: 'total', title: '金额（元）', money: true }, { key: 'status', title: '状态' }]} />}>
            <Table rowKey="clause" size="small" pagination={false} dataSource={clauses.map((c, i) => ({ ...c, shown: clauseCol.rows[i] }))} data-testid="clause-table"
              summary={() => <Table.Summary.Row><Table.Summary.Cell index={0} colSpan={2}><b>{t('合计')}</b></Table.Summary.Cell><Table.Summary.Cell index={2} align="right"><b>{clauseCol.total}</b></Table.Summary.Cell></Table.Summary.Row>}
              columns={[
                { title: t('条款'), dataIndex: 'clause', width: 60 },
                { title: '名称', dataIndex: 'title', ellipsis: true, render: (v, c: any) => <>{c.status !== 'computed' && <Tag color="orange">{({ unset: '参数未设定', missing_data: '无数据', out_of_period: '不在有效期' } as any)[c.status]}</Tag>}{v}</> },
                // A clause that was not computed shows a dash, not a zero award (the tag, placed first so
                // the ellipsis cannot hide it, says why).
                { title: `${t('金额')}（${unit}）`, dataIndex: 'shown', width: 140, align: 'right', render: (v, c: any) => (c.status === 'unset' || c.status === 'missing_data') && c.total === '0.00' ? '—' : v },
              ]} />
          </Card>
          <Card size="small" title="按条款分布">
            <Chart height={220} option={{
              tooltip: { trigger: 'axis' }, grid: { left: 70, right: 10, top: 10, bottom: 30 },
              xAxis: { type: 'category', data: clauses.map((c) => c.clause) },
              yAxis: { type: 'value', name: '万元', axisLabel: { formatter: (v: number) => String(v) } },
              // A chart only: bar heights in 万元 (display), never added up again.
              series: [{ type: 'bar', data: clauses.map((c) => Number(formatMoney(c.total, '万元').replaceAll(',', ''))), itemStyle: { color: '#b7202e' } }],
            }} />
          </Card>
        </Col>
        <Col span={14}>
          <Card size="small" title={t('按对象（点击查看明细与计算过程）')} extra={publicView ? <ExportButton title="资金分配结果" href={`/api/public/results/${k.id}/export.xlsx`} /> : <ExportButton title="资金分配结果" rows={awards.map((a) => ({ ...a, name: a.recipient_name ?? '' }))} columns={[{ key: 'recipient', title: '统一社会信用代码' }, { key: 'name', title: '名称' }, { key: 'clause', title: '条款' }, { key: 'citation', title: '依据' }, { key: 'amount', title: '金额（元）', money: true }]} />}>
            <Table rowKey="recipient" size="small" dataSource={recRows} pagination={{ pageSize: 12, showSizeChanger: false }} data-testid="recipient-table"
              onRow={(x) => ({ onClick: () => setFocus(x.recipient), style: { cursor: 'pointer' } })}
              summary={() => <Table.Summary.Row><Table.Summary.Cell index={0} colSpan={2}><b>{t('合计')}</b></Table.Summary.Cell><Table.Summary.Cell index={2} align="right"><b data-testid="recipient-total">{recCol.total}</b></Table.Summary.Cell></Table.Summary.Row>}
              columns={[
                { title: t('对象'), dataIndex: 'name', ellipsis: true, render: (v) => <a>{v}</a> },
                { title: t('条款'), dataIndex: 'clauses', width: 140, render: (v: string[]) => [...new Set(v)].map((c) => <Tag key={c}>{c}</Tag>) },
                { title: `${t('金额')}（${unit}）`, dataIndex: 'shown', width: 150, align: 'right' },
              ]} />
          </Card>
        </Col>
      </Row>
      <Drawer open={!!focus} onClose={() => setFocus(null)} size={760} title={focusAwards[0]?.recipient_name ?? focus} data-testid="recipient-drawer">
        <Typography.Paragraph type="secondary">{focus}</Typography.Paragraph>
        <Collapse defaultActiveKey={focusAwards.length === 1 ? ['0'] : []} items={focusAwards.map((a, i) => ({
          key: String(i),
          label: <span>{a.citation} · <b>{formatMoney(a.amount)} 元</b></span>,
          children: publicView || !a.trace ? <Typography.Text type="secondary">公示版不含业务明细</Typography.Text> : <Trace steps={a.trace} />,
        }))} />
      </Drawer>
    </>
  );
}

function EvaluationView({ k }: { k: any }) {
  const t = useT();
  const [unitOf, setUnitOf] = useState<any | null>(null);
  const results: any[] = k.result.results;
  // Flattened with the depth as indent (antd would read `children` as a collapsible tree).
  const flat = (b: any[], depth = 0): any[] => b.flatMap((x) => [{ ...x, children: undefined, depth }, ...flat(x.children ?? [], depth + 1)]);
  return (
    <>
      <Row gutter={16}>
        <Col span={14}>
          <Card size="small" title={`${t('排名')}与${t('等次')}`} extra={<ExportButton title="评价结果" rows={results} columns={[{ key: 'rank', title: '排名' }, { key: 'unit', title: '单位' }, { key: 'name', title: '名称' }, { key: 'score', title: '得分' }, { key: 'grade', title: '等次' }, { key: 'reward', title: '奖励（元）', money: true }]} />}>
            <Table rowKey="unit" size="small" dataSource={results} pagination={{ pageSize: 12 }} data-testid="ranking" onRow={(r) => ({ onClick: () => setUnitOf(r), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('排名'), dataIndex: 'rank', width: 60 },
                { title: t('单位'), render: (_, r) => <a>{r.name ?? r.unit}</a> },
                { title: t('得分'), dataIndex: 'score', width: 80, align: 'right' },
                { title: t('等次'), dataIndex: 'grade', width: 70, render: (v) => <Tag color={v === '优' || v === 'A' ? 'green' : v === '差' || v === 'D' ? 'red' : 'blue'}>{v}</Tag> },
                { title: '奖励（元）', dataIndex: 'reward', width: 120, align: 'right', render: (v) => (v ? formatMoney(v) : '—') },
              ]} />
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('得分')}>
            <Chart height={Math.max(220, results.length * 22)} option={{
              grid: { left: 120, right: 20, top: 10, bottom: 20 }, tooltip: {},
              xAxis: { type: 'value', max: 100 }, yAxis: { type: 'category', inverse: true, data: results.map((r) => (r.name ?? r.unit).slice(0, 9)) },
              series: [{ type: 'bar', data: results.map((r) => Number(r.score)), itemStyle: { color: '#1677ff' } }],
            }} />
          </Card>
        </Col>
      </Row>
      <Drawer open={!!unitOf} onClose={() => setUnitOf(null)} size={900} title={`${t('计分表')}：${unitOf?.name ?? unitOf?.unit ?? ''}`}
        extra={unitOf && <a href={`/api/computations/${k.id}/score-sheets/${unitOf.unit}?format=pdf`} target="_blank" rel="noreferrer">PDF</a>}>
        {unitOf && (
          <DataTable exportTitle="计分表" rowKey={(r: any) => r.indicator} size="small" pagination={false} dataSource={flat(unitOf.breakdown)} data-testid="score-sheet"
            columns={[
              { title: t('指标'), render: (_, b: any) => <span style={{ paddingLeft: b.depth * 16 }}>{b.name}</span> },
              { title: t('分值'), dataIndex: 'points', width: 60, align: 'right' },
              { title: t('实际值'), dataIndex: 'actual', width: 90, align: 'right' },
              { title: t('目标值'), dataIndex: 'target', width: 90, align: 'right' },
              { title: t('得分'), dataIndex: 'score', width: 70, align: 'right' },
              { title: '计分说明', dataIndex: 'explain', ellipsis: true },
            ]} />
        )}
      </Drawer>
    </>
  );
}
