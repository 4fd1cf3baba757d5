// The audit administrator's view of the tamper-evident audit chain: every entry, newest first, paged
// on the server and filtered by action, account, a word, or dates; the chain check; Excel export of
// the filtered entries.
import { Alert, Button, Card, DatePicker, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import dayjs from 'dayjs';
import { get } from '../api.ts';
import { ExportButton, PageTitle, useLoad } from '../components/common.tsx';
import { useT } from '../i18n.ts';

interface Filter { action?: string; actor?: string; q?: string; from?: string; to?: string }

const query = (f: Filter, page: number, size: number) =>
  new URLSearchParams(Object.entries({ ...f, page: String(page), size: String(size) }).filter(([, v]) => v) as [string, string][]).toString();

export function Audit() {
  const t = useT();
  const [filter, setFilter] = useState<Filter>({});
  const [draft, setDraft] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(15);
  const { data, loading } = useLoad<{ total: number; rows: any[] }>(`/api/audit/page?${query(filter, page, size)}`);
  const [verify, setVerify] = useState<any>(null);
  const rows = (data?.rows ?? []).map((r) => ({ ...r, who: r.username ?? r.actor ?? '', detailText: r.detail ? JSON.stringify(r.detail) : '' }));
  const apply = () => {
    setPage(1);
    setFilter({ ...draft });
  };
  return (
    <>
      <PageTitle extra={<><Button onClick={async () => setVerify(await get('/api/audit/verify'))}>校验审计链</Button><ExportButton title="审计日志" rows={rows} columns={[{ key: 'seq', title: '序号' }, { key: 'at', title: '时间' }, { key: 'who', title: '操作人' }, { key: 'role', title: '角色' }, { key: 'action', title: '动作' }, { key: 'object', title: '对象' }, { key: 'detailText', title: '详情' }, { key: 'hash', title: '哈希' }]} /></>}>{t('审计日志')}</PageTitle>
      {verify && <Alert style={{ marginBottom: 12 }} type={verify.ok ? 'success' : 'error'} title={verify.ok ? `审计链完整（${verify.entries ?? verify.count ?? ''} 条）` : `审计链被破坏：${JSON.stringify(verify)}`} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input placeholder="动作（前缀，如 submission）" style={{ width: 200 }} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} data-testid="audit-action" />
          <Input placeholder="操作人（用户名）" style={{ width: 150 }} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
          <Input placeholder="对象或详情中的文字" style={{ width: 180 }} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          <DatePicker.RangePicker onChange={(v) => setDraft({ ...draft, from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })} />
          <Button type="primary" onClick={apply} data-testid="audit-filter">{t('查询')}</Button>
          <Button onClick={() => { setDraft({}); setFilter({}); setPage(1); }}>重置</Button>
        </Space>
      </Card>
      <Card size="small">
        <Table rowKey="seq" size="small" dataSource={rows} loading={loading} data-testid="audit-table"
          pagination={{ current: page, pageSize: size, total: data?.total ?? 0, showTotal: (n) => `共 ${n} 条`, onChange: (p, s) => { setPage(p); setSize(s); } }}
          columns={[
            { title: '序号', dataIndex: 'seq', width: 70 },
            { title: '时间', dataIndex: 'at', width: 160, render: (v) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: '操作人', dataIndex: 'who', width: 110, ellipsis: true },
            { title: '角色', dataIndex: 'role', width: 120 },
            { title: '动作', dataIndex: 'action', width: 170, render: (v) => <Tag>{v}</Tag> },
            { title: '对象', dataIndex: 'object', width: 150, ellipsis: true },
            { title: '详情', dataIndex: 'detailText', ellipsis: true },
            { title: '哈希', dataIndex: 'hash', width: 110, render: (v) => <code>{String(v).slice(0, 10)}</code> },
          ]} />
      </Card>
    </>
  );
}
