// Programmes (one per policy or evaluation scheme and region) and their yearly cycles.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, InputNumber, Space, Table, Tag } from 'antd';
import { post } from '../api.ts';
import { useMe } from '../App.tsx';
import { PageTitle, StatusTag, statusZh, useLoad } from '../components/common.tsx';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

export function Programmes() {
  const t = useT();
  const { data } = useLoad<any[]>('/api/programmes');
  return (
    <>
      <PageTitle>{t('项目与周期')}</PageTitle>
      <Card size="small">
        <DataTable exportTitle="项目" rowKey="id" size="small" dataSource={data ?? []} pagination={false}
          columns={[
            { title: t('项目'), dataIndex: 'title', render: (v, r) => <Link to={`/programmes/${r.id}`}>{v}</Link> },
            { title: '类型', dataIndex: 'kind', width: 110, render: (v) => (v === 'policy' ? <Tag color="blue">资金政策</Tag> : <Tag color="purple">绩效评价</Tag>), exportValue: (r: any) => (r.kind === 'policy' ? '资金政策' : '绩效评价') },
            { title: '依据', dataIndex: 'ref', width: 160, render: (v, r) => <Link to={`/library/${r.kind === 'policy' ? 'policies' : 'schemes'}/${v}`}>{v}</Link> },
            { title: t('年度'), dataIndex: 'year', width: 80 },
          ]} />
      </Card>
    </>
  );
}

export function Programme() {
  const { id } = useParams();
  const t = useT();
  const { me } = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { data, reload } = useLoad<any>(`/api/programmes/${id}`);
  const [year, setYear] = useState<number | null>(null);
  if (!data) return null;
  const open = async () => {
    try {
      const c = await post(`/api/programmes/${id}/cycles`, { year: year ?? data.year });
      message.success('已开启周期，任务已下发');
      await reload();
      nav(`/cycles/${c.id}`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <PageTitle>{data.title}</PageTitle>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={3} items={[
          { label: '依据', children: <Link to={`/library/${data.kind === 'policy' ? 'policies' : 'schemes'}/${data.ref}`}>{data.ref}</Link> },
          { label: '地区', children: data.region },
          { label: '工作日历', children: data.calendar },
        ]} />
      </Card>
      <Card size="small" title={t('周期')} extra={me?.role === 'bureau_admin' && (
        <Space><InputNumber size="small" min={2000} max={2100} value={year ?? data.year} onChange={(v) => setYear(v)} /><Button size="small" type="primary" onClick={open} data-testid="open-cycle">{t('开启新周期')}</Button></Space>
      )}>
        <DataTable exportTitle="工作周期" rowKey="id" size="small" dataSource={data.cycles} pagination={false}
          columns={[
            { title: t('周期'), dataIndex: 'id', render: (v) => <Link to={`/cycles/${v}`}>{v}</Link> },
            { title: t('年度'), dataIndex: 'year', width: 80 },
            { title: t('状态'), dataIndex: 'status', width: 100, render: (v) => <StatusTag status={v} />, exportValue: (r: any) => statusZh(r.status) },
          ]} />
      </Card>
    </>
  );
}
