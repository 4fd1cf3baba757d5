// The workbench: what this account has to do, with deadlines. Reporters and district departments
// see their unit's tasks; the bureau and reviewers see their programmes, what awaits review, and
// who is late.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Row, Statistic, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { get } from '../api.ts';
import { useMe } from '../App.tsx';
import { PageTitle, StatusTag, statusZh, useLoad } from '../components/common.tsx';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

interface TaskRow { id: string; cycle_id: string; step: string; title: string; submission: string; due_date: string; status: string | null; reminders: number; subject_unit: string | null }

function dueTag(due: string, status: string | null) {
  if (status === 'approved' || status === 'submitted') return null;
  const days = dayjs(due).diff(dayjs().startOf('day'), 'day');
  if (days < 0) return <Tag color="red">逾期 {-days} 天</Tag>;
  if (days <= 7) return <Tag color="orange">剩 {days} 天</Tag>;
  return null;
}

export function Workbench() {
  const { me } = useMe();
  const t = useT();
  const bureau = me?.role === 'bureau_admin' || me?.role === 'reviewer';
  return (
    <>
      <PageTitle>{t('工作台')}</PageTitle>
      {bureau ? <BureauBench /> : <ReporterBench />}
    </>
  );
}

function ReporterBench() {
  const t = useT();
  const { data } = useLoad<TaskRow[]>('/api/tasks');
  const rows = data ?? [];
  return (
    <Card title={t('我的任务')} size="small">
      <DataTable<TaskRow> exportTitle="我的任务"
        rowKey="id" size="small" dataSource={rows} pagination={{ pageSize: 12 }} data-testid="my-tasks"
        columns={[
          { title: t('环节'), dataIndex: 'title', render: (v, r) => <Link to={`/tasks/${r.id}`}>{v}</Link> },
          { title: t('周期'), dataIndex: 'cycle_id', width: 200 },
          { title: '报送内容', dataIndex: 'submission', width: 110, render: (v) => ({ ledger: '业务数据包', indicators: '指标表', materials: '材料' })[v as string] ?? '—' },
          { title: t('截止日期'), dataIndex: 'due_date', width: 170, render: (v, r) => <>{v} {dueTag(v, r.status)}</> },
          { title: t('状态'), dataIndex: 'status', width: 100, render: (v) => <StatusTag status={v} />, exportValue: (r: any) => statusZh(r.status) },
          { title: '催报', dataIndex: 'reminders', width: 70, render: (v) => (v ? <Tag color="orange">{v}</Tag> : '') },
          { title: t('操作'), width: 80, render: (_, r) => <Link to={`/tasks/${r.id}`}>{t('办理')}</Link> },
        ]}
      />
    </Card>
  );
}

interface Prog { id: string; title: string; kind: string; year: number }

function BureauBench() {
  const t = useT();
  const { data: progs } = useLoad<Prog[]>('/api/programmes');
  const [cycles, setCycles] = useState<any[]>([]);
  useEffect(() => {
    if (!progs) return;
    (async () => {
      const out = [];
      for (const p of progs) {
        const d = await get(`/api/programmes/${p.id}`);
        for (const c of d.cycles) out.push({ ...(await get(`/api/cycles/${c.id}`)), title: p.title, kind: p.kind });
      }
      setCycles(out);
    })().catch(() => {});
  }, [progs]);
  // Steps by their calendar title (the task rows carry the step code).
  const named = (c: any, x: any) => ({ ...x, cycle: c.id, title: c.title, step: c.steps.find((s: any) => s.code === x.step)?.title ?? x.step });
  const pending = cycles.flatMap((c) => c.tasks.filter((x: any) => x.status === 'submitted').map((x: any) => named(c, x)));
  const late = cycles.flatMap((c) => c.tasks.filter((x: any) => x.late).map((x: any) => named(c, x)));
  const all = cycles.flatMap((c) => c.tasks);
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}><Card size="small"><Statistic title="进行中的周期" value={cycles.length} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t('待审核')} value={pending.length} valueStyle={{ color: '#1677ff' }} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t('逾期')} value={late.length} valueStyle={{ color: '#cf1322' }} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="已通过 / 全部任务" value={`${all.filter((x: any) => x.status === 'approved').length} / ${all.length}`} /></Card></Col>
      </Row>
      <Row gutter={16}>
        <Col span={14}>
          <Card title={t('待审核')} size="small" style={{ marginBottom: 16 }}>
            <DataTable exportTitle="待审核" rowKey="id" size="small" dataSource={pending} pagination={{ pageSize: 8 }} data-testid="pending-review"
              columns={[
                { title: t('单位'), dataIndex: 'unit_name', ellipsis: true },
                { title: t('环节'), dataIndex: 'step', width: 200, ellipsis: true },
                { title: t('截止日期'), dataIndex: 'effective_due', width: 110 },
                { title: t('操作'), width: 70, render: (_, r: any) => <Link to={`/tasks/${r.id}`}>{t('审核')}</Link> },
              ]} />
          </Card>
        </Col>
        <Col span={10}>
          <Card title={t('项目与周期')} size="small" style={{ marginBottom: 16 }}>
            <DataTable exportTitle="进行中的周期" rowKey="id" size="small" dataSource={cycles} pagination={false}
              columns={[
                { title: t('项目'), dataIndex: 'title', ellipsis: true, render: (v, r: any) => <Link to={`/cycles/${r.id}`}>{v}</Link> },
                { title: t('年度'), dataIndex: 'year', width: 60 },
                { title: t('按时率'), width: 90, render: (_, r: any) => { const s = r.stats.reduce((a: any, x: any) => ({ n: a.n + x.tasks, k: a.k + x.on_time }), { n: 0, k: 0 }); return s.n ? `${Math.round((s.k / s.n) * 100)}%` : '—'; } },
              ]} />
            {progs && progs.length > 0 && cycles.length === 0 && <div style={{ padding: 8 }}>尚无周期，请在 <Link to="/programmes">{t('项目与周期')}</Link> 中开启。</div>}
          </Card>
          <Card title={t('逾期')} size="small">
            <DataTable exportTitle="逾期未报" rowKey="id" size="small" dataSource={late} pagination={{ pageSize: 5 }}
              columns={[{ title: t('单位'), dataIndex: 'unit_name', ellipsis: true }, { title: t('环节'), dataIndex: 'step', width: 130, ellipsis: true }, { title: t('截止日期'), dataIndex: 'effective_due', width: 105 }]} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
