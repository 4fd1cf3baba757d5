// Cycle management: the calendar's steps (each citing its article), every unit's task with its
// state and lateness, on-time statistics, reminders, and computation runs.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Col, Progress, Row, Space, Table, Tag, Tooltip } from 'antd';
import { post } from '../api.ts';
import { useMe } from '../App.tsx';
import { Chart } from '../components/Chart.tsx';
import { ExportButton, PageTitle, StatusTag, statusZh, useLoad } from '../components/common.tsx';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

// Who carries out a calendar step (the server's calendars.ts), in the documents' words.
const ACTOR_ZH: Record<string, string> = {
  bureau: '财政局', district: '各区', district_finance: '区财政局', financial_office: '金融工作部门', guarantor: '担保机构', institution: '金融机构',
};

export function Cycle() {
  const { id } = useParams();
  const t = useT();
  const nav = useNavigate();
  const { me } = useMe();
  const { message } = App.useApp();
  const { data, reload } = useLoad<any>(`/api/cycles/${id}`);
  const comps = useLoad<any[]>(`/api/cycles/${id}/computations`);
  const [busy, setBusy] = useState(false);
  if (!data) return null;
  const admin = me?.role === 'bureau_admin';
  const remind = async () => {
    try {
      const r = await post(`/api/cycles/${id}/reminders`, {});
      message.success(`已向 ${r.sent ?? r.reminded?.length ?? r.length ?? 0} 个单位发送催报提醒`);
      reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const compute = async () => {
    setBusy(true);
    try {
      const r = await post(`/api/cycles/${id}/computations`, {});
      nav(`/computations/${r.id}`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const stepTitle = new Map<string, string>(data.steps.map((s: any) => [s.code, s.title]));
  const stats: any[] = data.stats.map((s: any) => ({ ...s, step: stepTitle.get(s.step) ?? s.step }));
  const taskRows = data.tasks.map((x: any) => ({ ...x, step: stepTitle.get(x.step) ?? x.step, state: x.status ?? '', timing: x.on_time === true ? '按时' : x.late ? '逾期' : '' }));
  return (
    <>
      <PageTitle extra={
        <Space>
          <Button onClick={() => nav(`/cycles/${id}/dashboard`)}>{t('监测看板')}</Button>
          {(admin || me?.role === 'reviewer') && <Button onClick={() => nav(`/cycles/${id}/what-if`)}>{t('政策测算')}</Button>}
          {admin && <Button onClick={remind}>{t('发送催报提醒')}</Button>}
          {(admin || me?.role === 'reviewer') && <Button type="primary" loading={busy} onClick={compute} data-testid="start-computation">{t('开始计算')}</Button>}
        </Space>
      }>{data.programme_title ?? data.programme_id} · {data.year} {t('年度')}</PageTitle>
      <Row gutter={16}>
        <Col span={12}>
          <Card size="small" title={t('工作日历')} style={{ marginBottom: 16 }}>
            <DataTable exportTitle="工作日历" rowKey="id" size="small" pagination={false} dataSource={data.steps} scroll={{ y: 230 }}
              columns={[
                { title: t('环节'), dataIndex: 'title', ellipsis: true, render: (v, r: any) => <Tooltip title={r.cite}>{v}</Tooltip> },
                { title: '承办', dataIndex: 'actor', width: 100, ellipsis: true, render: (v) => ACTOR_ZH[v] ?? v, exportValue: (r: any) => ACTOR_ZH[r.actor] ?? r.actor },
                { title: t('截止日期'), dataIndex: 'due_date', width: 105 },
              ]} />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={`${t('按时率')}（按环节）`} style={{ marginBottom: 16 }}>
            <Chart height={262} testId="ontime-chart" option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 40, right: 10, top: 30, bottom: 40 },
              xAxis: { type: 'category', data: stats.map((s) => s.step), axisLabel: { interval: 0, width: 160, overflow: 'truncate' } },
              yAxis: { type: 'value', minInterval: 1 },
              series: [
                { name: '按时', type: 'bar', stack: 'a', data: stats.map((s) => s.on_time), itemStyle: { color: '#52c41a' } },
                { name: '逾期', type: 'bar', stack: 'a', data: stats.map((s) => s.late), itemStyle: { color: '#f5222d' } },
                { name: '未报送', type: 'bar', stack: 'a', data: stats.map((s) => s.missing), itemStyle: { color: '#d9d9d9' } },
              ],
            }} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('报送任务')} style={{ marginBottom: 16 }} extra={<ExportButton title="报送任务" rows={taskRows} columns={[{ key: 'unit_name', title: '单位' }, { key: 'step', title: '环节' }, { key: 'effective_due', title: '截止日期' }, { key: 'first_submitted', title: '首次报送' }, { key: 'state', title: '状态' }, { key: 'timing', title: '按时' }]} />}>
        <Table rowKey="id" size="small" dataSource={taskRows} pagination={{ pageSize: 10 }} data-testid="cycle-tasks"
          columns={[
            { title: t('单位'), dataIndex: 'unit_name', ellipsis: true },
            { title: t('环节'), dataIndex: 'step', width: 260, ellipsis: true },
            { title: t('截止日期'), dataIndex: 'effective_due', width: 110 },
            { title: '首次报送', dataIndex: 'first_submitted', width: 110 },
            { title: t('状态'), dataIndex: 'status', width: 90, render: (v) => <StatusTag status={v} /> },
            { title: '时效', width: 80, render: (_, r: any) => (r.on_time === true ? <Tag color="green">{t('按时')}</Tag> : r.late ? <Tag color="red">{t('逾期')}</Tag> : '') },
            { title: t('操作'), width: 70, render: (_, r: any) => <Link to={`/tasks/${r.id}`}>{t('查看')}</Link> },
          ]} />
      </Card>
      <Card size="small" title={t('计算记录')}>
        <DataTable exportTitle="计算记录" rowKey="id" size="small" dataSource={comps.data ?? []} pagination={false}
          columns={[
            { title: '计算', dataIndex: 'id', render: (v) => <Link to={`/computations/${v}`}>{v.slice(0, 8)}</Link> },
            { title: t('状态'), dataIndex: 'status', width: 100, render: (v) => <StatusTag status={v} />, exportValue: (r: any) => statusZh(r.status) },
            { title: '进度', dataIndex: 'progress', width: 180, render: (v, r: any) => <Progress percent={v} size="small" status={r.status === 'failed' ? 'exception' : undefined} /> },
            { title: '参数', render: (_, r: any) => Object.entries({ ...r.parameters, ...r.variants }).map(([k, v]) => <Tag key={k}>{k}={String(v)}</Tag>) },
            { title: t('公示期至'), dataIndex: 'notice_until', width: 110 },
          ]} />
      </Card>
    </>
  );
}
