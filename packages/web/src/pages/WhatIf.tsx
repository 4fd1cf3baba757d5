// What-if: change a parameter or reading of the cycle's policy and see the budget impact per
// recipient and per clause, side by side with what is in force, on the same approved data.
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Input, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { get, post } from '../api.ts';
import { ExportButton, PageTitle, UnitSwitch, useLoad } from '../components/common.tsx';
import { formatMoney, type MoneyUnit } from '../money.ts';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

export function WhatIf() {
  const { id } = useParams();
  const t = useT();
  const { message } = App.useApp();
  const cycle = useLoad<any>(`/api/cycles/${id}`);
  const [policy, setPolicy] = useState<any>(null);
  const [params, setParams] = useState<Record<string, string>>({});
  const [variants, setVariants] = useState<Record<string, string>>({});
  const [res, setRes] = useState<any>(null);
  const [busy, setBusy] = useState(false);
  const [unit, setUnit] = useState<MoneyUnit>('元');
  if (cycle.data && !policy) {
    get(`/api/programmes/${cycle.data.programme_id}`).then((p) => get(`/api/library/policies/${p.ref}`)).then(setPolicy).catch(() => {});
  }
  const run = async () => {
    setBusy(true);
    try {
      const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ''));
      setRes(await post(`/api/cycles/${id}/what-if`, { parameters: clean, variants }));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const rows: any[] = policy ? policy.clauses.flatMap((c: any) => c.params.map((p: any) => ({ ...p, clause: c.id, title: c.title }))) : [];
  const vrows: any[] = policy ? policy.clauses.filter((c: any) => c.variants.length > 1) : [];
  return (
    <>
      <PageTitle>{t('政策测算')} · {id}</PageTitle>
      <Row gutter={16}>
        <Col span={11}>
          <Card size="small" title="调整参数与口径" extra={<Button type="primary" loading={busy} onClick={run} data-testid="run-what-if">{t('测算')}</Button>}>
            <DataTable exportTitle="参数与口径" rowKey="key" size="small" dataSource={rows} pagination={false} scroll={{ y: 420 }}
              columns={[
                { title: t('条款'), dataIndex: 'clause', width: 50 },
                { title: '参数', dataIndex: 'name', width: 130, ellipsis: true, render: (v, r: any) => <span title={r.text}>{v}</span> },
                { title: '现行值', dataIndex: 'value', width: 110, ellipsis: true, render: (v) => v ?? <Typography.Text type="warning">{t('未设定')}</Typography.Text> },
                { title: '测算值', width: 150, render: (_, r: any) => <Input size="small" placeholder={r.type === 'scale' ? 'JSON 分档' : '如 1.5% / 200万'} value={params[r.key] ?? ''} onChange={(e) => setParams({ ...params, [r.key]: e.target.value })} data-testid={`param-${r.key}`} /> },
              ]} />
            {vrows.length > 0 && (
              <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
                <b>{t('口径')}</b>
                {vrows.map((c: any) => (
                  <Space key={c.id}>
                    <span style={{ width: 60, display: 'inline-block' }}>第 {c.id} 项</span>
                    <Select size="small" style={{ width: 320 }} value={variants[c.id] ?? c.variants.find((v: any) => v.default)?.name}
                      onChange={(v) => setVariants({ ...variants, [c.id]: v })} options={c.variants.map((v: any) => ({ value: v.name, label: `${v.name}${v.default ? '（默认）' : ''}：${v.text}` }))} />
                  </Space>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        <Col span={13}>
          {!res ? <Alert type="info" title="在左侧改动参数或口径后点“测算”，在同一份已审核数据上对比现行与测算结果。" /> : (
            <>
              <Row gutter={12} style={{ marginBottom: 12 }}>
                <Col span={8}><Card size="small"><Statistic title={`${t('现行')}（${unit}）`} value={formatMoney(res.total_before, unit)} /></Card></Col>
                <Col span={8}><Card size="small"><Statistic title={`${t('测算后')}（${unit}）`} value={formatMoney(res.total_after, unit)} data-testid="what-if-total" /></Card></Col>
                <Col span={8}><Card size="small"><Statistic title={`${t('变化')}（${unit}）`} value={formatMoney(res.total_change, unit)} valueStyle={{ color: res.total_change.startsWith('-') ? '#cf1322' : '#389e0d' }} /></Card></Col>
              </Row>
              <Card size="small" title="按对象对比" extra={<Space><UnitSwitch value={unit} onChange={setUnit} /><ExportButton title="政策测算对比" rows={res.recipients} columns={[{ key: 'recipient', title: '统一社会信用代码' }, { key: 'name', title: '名称' }, { key: 'before', title: '现行（元）', money: true }, { key: 'after', title: '测算（元）', money: true }, { key: 'change', title: '变化（元）', money: true }]} /></Space>}>
                <Table rowKey="recipient" size="small" dataSource={res.recipients} pagination={{ pageSize: 10 }} data-testid="what-if-table"
                  columns={[
                    { title: t('对象'), dataIndex: 'name', ellipsis: true },
                    { title: t('现行'), dataIndex: 'before', width: 120, align: 'right', render: (v) => formatMoney(v, unit) },
                    { title: t('测算后'), dataIndex: 'after', width: 120, align: 'right', render: (v) => formatMoney(v, unit) },
                    { title: t('变化'), dataIndex: 'change', width: 120, align: 'right', render: (v) => <span style={{ color: v.startsWith('-') ? '#cf1322' : v === '0.00' ? undefined : '#389e0d' }}>{formatMoney(v, unit)}</span> },
                  ]} />
              </Card>
            </>
          )}
        </Col>
      </Row>
    </>
  );
}
