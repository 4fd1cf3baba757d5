// The audit administrator's view of the tamper-evident audit chain, with the chain check.
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useState } from 'react';
import dayjs from 'dayjs';
import { get } from '../api.ts';
import { ExportButton, PageTitle, useLoad } from '../components/common.tsx';
import { useT } from '../i18n.ts';

export function Audit() {
  const t = useT();
  const { data } = useLoad<any[]>('/api/audit?limit=1000');
  const [verify, setVerify] = useState<any>(null);
  const rows = [...(data ?? [])].reverse().map((r) => ({ ...r, detailText: r.detail ? JSON.stringify(r.detail) : '' }));
  return (
    <>
      <PageTitle extra={<><Button onClick={async () => setVerify(await get('/api/audit/verify'))}>校验审计链</Button><ExportButton title="审计日志" rows={rows} columns={[{ key: 'seq', title: '序号' }, { key: 'at', title: '时间' }, { key: 'actor', title: '操作人' }, { key: 'role', title: '角色' }, { key: 'action', title: '动作' }, { key: 'object', title: '对象' }, { key: 'detailText', title: '详情' }, { key: 'hash', title: '哈希' }]} /></>}>{t('审计日志')}</PageTitle>
      {verify && <Alert style={{ marginBottom: 12 }} type={verify.ok ? 'success' : 'error'} title={verify.ok ? `审计链完整（${verify.entries ?? verify.count ?? ''} 条）` : `审计链被破坏：${JSON.stringify(verify)}`} />}
      <Card size="small">
        <Table rowKey="seq" size="small" dataSource={rows} pagination={{ pageSize: 15 }} data-testid="audit-table"
          columns={[
            { title: '序号', dataIndex: 'seq', width: 70 },
            { title: '时间', dataIndex: 'at', width: 170, render: (v) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: '角色', dataIndex: 'role', width: 130 },
            { title: '动作', dataIndex: 'action', width: 170, render: (v) => <Tag>{v}</Tag> },
            { title: '对象', dataIndex: 'object', width: 150, ellipsis: true },
            { title: '详情', dataIndex: 'detailText', ellipsis: true },
            { title: '哈希', dataIndex: 'hash', width: 110, render: (v) => <code>{String(v).slice(0, 10)}</code> },
          ]} />
      </Card>
    </>
  );
}
