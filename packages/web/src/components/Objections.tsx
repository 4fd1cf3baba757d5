// Objections to a published result (公示异议), for the bureau that published it: who raised what,
// and a written answer for each, once. The objector reads the answer on the public page.
import { useState } from 'react';
import { App, Button, Card, Input, Space, Table, Tag } from 'antd';
import { post } from '../api.ts';
import { useLoad } from './common.tsx';
import { useT } from '../i18n.ts';
import { DataTable } from './DataTable.tsx';

export function Objections({ computation }: { computation: string }) {
  const t = useT();
  const { message } = App.useApp();
  const { data, reload } = useLoad<any[]>(`/api/computations/${computation}/objections`);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const answer = async (id: string) => {
    try {
      await post(`/api/objections/${id}/answer`, { answer: drafts[id] ?? '' });
      message.success('已答复');
      reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const rows = data ?? [];
  const open = rows.filter((o) => o.status !== 'answered').length;
  return (
    <Card size="small" style={{ marginTop: 16 }} title={`${t('公示异议')}（${rows.length}，${t('待答复')} ${open}）`} data-testid="objections">
      <DataTable exportTitle="公示异议" rowKey="id" size="small" dataSource={rows} pagination={{ pageSize: 8 }} locale={{ emptyText: '公示期内尚未收到异议' }}
        columns={[
          { title: '收到时间', dataIndex: 'created_at', width: 150, render: (v) => new Date(v).toLocaleString('zh-CN', { hour12: false }) },
          { title: t('姓名或单位'), dataIndex: 'name', width: 140, ellipsis: true },
          { title: t('联系方式'), dataIndex: 'contact', width: 130, ellipsis: true },
          { title: '涉及对象', dataIndex: 'recipient', width: 170, ellipsis: true },
          { title: t('异议内容'), dataIndex: 'text' },
          {
            title: t('答复'), width: 320, render: (_, o) => o.status === 'answered'
              ? <Space orientation="vertical" size={2}><Tag color="green">{t('已答复')}</Tag><span>{o.answer}</span></Space>
              : <Space.Compact style={{ width: '100%' }}>
                  <Input size="small" placeholder="核实情况与答复" value={drafts[o.id] ?? ''} onChange={(e) => setDrafts({ ...drafts, [o.id]: e.target.value })} data-testid="objection-answer" />
                  <Button size="small" type="primary" disabled={(drafts[o.id] ?? '').trim().length < 2} onClick={() => answer(o.id)}>{t('答复')}</Button>
                </Space.Compact>,
          },
        ]} />
    </Card>
  );
}
