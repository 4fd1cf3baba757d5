// One task: reporters download the Excel template, upload their bundle, see every error by file,
// row and column, fix the cells right here and resubmit; reviewers compare versions, send back
// with a reason, or approve. District departments fill their indicator table.
import { useMemo, useState } from 'react';
import dayjs from 'dayjs';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Empty, Input, InputNumber, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { ApiErr, download, get, post, upload } from '../api.ts';
import { useMe } from '../App.tsx';
import { ExportButton, PageTitle, StatusTag, useLoad } from '../components/common.tsx';
import { decodeText, parseCsv, writeCsv } from '../csv.ts';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

interface LedgerErr { file: string; row?: number; column?: string; column_zh?: string; header?: string; value?: string; key: string; zh: string }
const REPORTERS = new Set(['bank_reporter', 'guarantor_reporter', 'insurer_reporter', 'district_filler']);

export function Task() {
  const { id } = useParams();
  const t = useT();
  const { me } = useMe();
  const { data, reload } = useLoad<any>(`/api/tasks/${id}/versions`);
  if (!data) return null;
  const task = data.task;
  const versions: any[] = data.versions;
  const latest = versions.at(-1);
  const canSubmit = me && REPORTERS.has(me.role) && task.unit_id === me.unit;
  const canReview = me?.role === 'reviewer';
  return (
    <>
      <PageTitle>{task.step_title}</PageTitle>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={4} items={[
          { label: t('项目'), children: task.programme_title ?? task.programme_id },
          { label: t('年度'), children: task.year },
          { label: t('单位'), children: task.unit_name ?? task.unit_id },
          { label: t('截止日期'), children: task.due_date },
          { label: '报送内容', children: ({ ledger: '业务数据包', indicators: '指标表', materials: '材料' } as any)[task.submission] ?? '—' },
          { label: t('状态'), children: <StatusTag status={latest?.status} /> },
          ...(latest?.status === 'returned' ? [{ label: t('退回理由'), children: <Typography.Text type="danger">{latest.reason}</Typography.Text>, span: 2 }] : []),
        ]} />
      </Card>
      {canSubmit && latest?.status !== 'approved' && latest?.status !== 'submitted' && task.submission === 'ledger' && <LedgerUpload taskId={id!} onDone={reload} />}
      {canSubmit && latest?.status !== 'approved' && latest?.status !== 'submitted' && task.submission === 'indicators' && <IndicatorForm task={task} onDone={reload} />}
      {canSubmit && latest?.status !== 'approved' && latest?.status !== 'submitted' && task.submission === 'materials' && <MaterialUpload taskId={id!} onDone={reload} />}
      <Versions versions={versions} canReview={!!canReview} canWithdraw={!!canSubmit} onChange={reload} />
    </>
  );
}

function LedgerUpload({ taskId, onDone }: { taskId: string; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [files, setFiles] = useState<File[]>([]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<LedgerErr[] | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [fixes, setFixes] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);

  const send = async (list: File[]) => {
    setBusy(true);
    try {
      const r = await upload(`/api/tasks/${taskId}/ledger`, list, note || undefined);
      setErrors(null);
      setSummary(null);
      setFiles([]);
      setFixes({});
      message.success(`已提交第 ${r.version} 版，等待审核`);
      onDone();
    } catch (e) {
      if (e instanceof ApiErr && Array.isArray(e.details)) {
        setErrors(e.details);
        setSummary(e.message);
        setFixes({});
      } else message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // Apply the typed corrections to the CSV files held in the browser, then hand them in again.
  const applyFixes = async () => {
    const out: File[] = [];
    for (const f of files) {
      const mine = (errors ?? []).map((e, i) => ({ e, i })).filter(({ e, i }) => e.file === f.name && e.row && (e.header || e.column) && fixes[i] !== undefined);
      if (!mine.length || !/\.csv$/i.test(f.name)) {
        out.push(f);
        continue;
      }
      const rows = parseCsv(decodeText(await f.arrayBuffer()));
      for (const { e, i } of mine) {
        const col = rows[0].findIndex((h) => h.trim() === (e.header ?? '').trim() || h.trim() === e.column);
        if (col >= 0 && rows[e.row! - 1]) rows[e.row! - 1][col] = fixes[i];
      }
      out.push(new File([writeCsv(rows)], f.name, { type: 'text/csv' }));
    }
    setFiles(out);
    await send(out);
  };

  const fixable = (e: LedgerErr) => !!(e.row && (e.header || e.column) && /\.csv$/i.test(e.file) && files.some((f) => f.name === e.file));
  const rows = (errors ?? []).map((e, i) => ({ ...e, i }));
  return (
    <Card size="small" title={t('报送业务数据')} style={{ marginBottom: 16 }} extra={
      <Button size="small" icon={<DownloadOutlined />} onClick={() => download('/api/templates/ledger.xlsx', '数据报送模板.xlsx')} data-testid="template">{t('下载Excel模板')}</Button>
    }>
      <Upload.Dragger multiple accept=".csv,.xlsx" fileList={files.map((f, i) => ({ uid: `${i}-${f.name}`, name: f.name, size: f.size, status: 'done' as const }))}
        beforeUpload={(f, list) => { setFiles((prev) => [...prev.filter((p) => !list.some((x) => x.name === p.name)), ...list]); return false; }}
        onRemove={(x) => setFiles((prev) => prev.filter((p) => p.name !== x.name))} data-testid="ledger-upload">
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">点击或拖入 CSV 文件（贷款.csv、loans.csv 等，可多选）或填好的 Excel 模板（.xlsx）</p>
        <p className="ant-upload-hint">整包校验：任何一处错误都不会保存数据，请按下方提示逐项修改</p>
      </Upload.Dragger>
      <Space style={{ marginTop: 12 }}>
        <Input placeholder={t('报送说明')} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 360 }} maxLength={2000} />
        <Button type="primary" disabled={!files.length} loading={busy} onClick={() => send(files)} data-testid="submit-ledger">{t('提交')}</Button>
      </Space>
      {errors && (
        <div style={{ marginTop: 16 }} data-testid="ledger-errors">
          <Alert type="error" showIcon title={summary} description="可在“修改为”一栏直接改正单元格，再点“应用修改并重新提交”；也可改好文件后重新上传。" style={{ marginBottom: 8 }} />
          <DataTable exportTitle="校验错误" rowKey="i" size="small" dataSource={rows} pagination={{ pageSize: 8 }}
            columns={[
              { title: t('文件'), dataIndex: 'file', width: 150, ellipsis: true },
              { title: t('行'), dataIndex: 'row', width: 60 },
              { title: t('列'), width: 170, render: (_, e) => (e.column_zh ? <>{e.column_zh} <Typography.Text type="secondary">{e.column}</Typography.Text></> : e.header ?? e.column ?? '') },
              { title: t('值'), dataIndex: 'value', width: 150, ellipsis: true },
              { title: t('问题'), render: (_, e) => <>{e.zh} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.key}</Typography.Text></> },
              { title: t('修改为'), width: 190, render: (_, e) => (fixable(e) ? <Input size="small" data-testid={`fix-${e.i}`} value={fixes[e.i] ?? ''} placeholder={e.value ?? ''} onChange={(ev) => setFixes({ ...fixes, [e.i]: ev.target.value })} /> : '') },
            ]} />
          <Button type="primary" onClick={applyFixes} disabled={!Object.keys(fixes).length} loading={busy} data-testid="apply-fixes">{t('应用修改并重新提交')}</Button>
        </div>
      )}
    </Card>
  );
}

function MaterialUpload({ taskId, onDone }: { taskId: string; onDone: () => void }) {
  const { message } = App.useApp();
  const [files, setFiles] = useState<File[]>([]);
  return (
    <Card size="small" title="报送材料" style={{ marginBottom: 16 }}>
      <Upload multiple beforeUpload={(f) => { setFiles((p) => [...p, f]); return false; }} fileList={files.map((f, i) => ({ uid: String(i), name: f.name }))} onRemove={(x) => setFiles((p) => p.filter((f) => f.name !== x.name))}>
        <Button>选择文件</Button>
      </Upload>
      <Button type="primary" style={{ marginTop: 8 }} disabled={!files.length} onClick={async () => {
        try { await upload(`/api/tasks/${taskId}/materials`, files); message.success('已提交'); onDone(); } catch (e) { message.error((e as Error).message); }
      }}>提交</Button>
    </Card>
  );
}

// 指标表: one row per indicator of the subject, 实际值 / 目标值 (考核值 where the scheme takes points).
function IndicatorForm({ task, onDone }: { task: any; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [vals, setVals] = useState<Record<string, { actual?: string; target?: string; points?: string }>>({});
  const [errs, setErrs] = useState<any[] | null>(null);
  const inds: string[] = task.indicators ?? [];
  // Indicator names, points and methods from the scheme in the library.
  const scheme = useLoad<any>(`/api/library/schemes/${task.programme_ref}`);
  const info = useMemo(() => {
    const m = new Map<string, any>();
    const walk = (xs: any[]) => xs.forEach((x) => { m.set(x.id, x); walk(x.children ?? []); });
    walk(scheme.data?.indicators ?? []);
    return m;
  }, [scheme.data]);
  const rows = useMemo(() => inds.map((k) => ({ indicator: k, name: info.get(k)?.name ?? k, points: info.get(k)?.points, method: info.get(k)?.method })), [inds.join(), info]);
  const set = (k: string, f: 'actual' | 'target' | 'points', v: string | null) => setVals({ ...vals, [k]: { ...vals[k], [f]: v ?? undefined } });
  const submit = async () => {
    try {
      const values = inds.map((k) => ({ subject: task.subject_unit ?? task.unit_id, indicator: k, actual: vals[k]?.actual ?? null, target: vals[k]?.target ?? null, points: vals[k]?.points ?? null }));
      await post(`/api/tasks/${task.id}/indicators`, { values });
      message.success('指标表已提交');
      onDone();
    } catch (e) {
      if (e instanceof ApiErr && Array.isArray(e.details)) setErrs(e.details);
      else message.error((e as Error).message);
    }
  };
  return (
    <Card size="small" title={`指标表（${task.subject_name ?? task.unit_name ?? task.subject_unit ?? task.unit_id}）`} style={{ marginBottom: 16 }}>
      <DataTable exportTitle="指标填报" rowKey="indicator" size="small" dataSource={rows} pagination={false}
        columns={[
          { title: t('指标'), dataIndex: 'name', render: (v, r) => <>{r.indicator} {v}</> },
          { title: t('分值'), dataIndex: 'points', width: 60, align: 'right' },
          { title: t('实际值'), width: 170, render: (_, r) => <InputNumber style={{ width: '100%' }} stringMode size="small" onChange={(v) => set(r.indicator, 'actual', v as string | null)} data-testid={`actual-${r.indicator}`} /> },
          { title: t('目标值'), width: 170, render: (_, r) => <InputNumber style={{ width: '100%' }} stringMode size="small" onChange={(v) => set(r.indicator, 'target', v as string | null)} data-testid={`target-${r.indicator}`} /> },
          { title: `${t('考核值')}（${t('得分')}）`, width: 150, render: (_, r) => <InputNumber style={{ width: '100%' }} stringMode size="small" placeholder={r.method === 'reviewer' ? '评审给分' : '—'} onChange={(v) => set(r.indicator, 'points', v as string | null)} data-testid={`points-${r.indicator}`} /> },
        ]} />
      {errs && <Alert type="error" style={{ marginTop: 8 }} title={errs.map((e) => `${e.indicator ?? ''} ${e.zh}`).join('；')} />}
      <Button type="primary" style={{ marginTop: 8 }} onClick={submit} data-testid="submit-indicators">{t('提交')}</Button>
    </Card>
  );
}

function Versions({ versions, canReview, canWithdraw, onChange }: { versions: any[]; canReview: boolean; canWithdraw: boolean; onChange: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [diffOf, setDiffOf] = useState<any | null>(null);
  const [returning, setReturning] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const act = async (url: string, body?: unknown) => {
    try {
      await post(url, body);
      message.success('已处理');
      onChange();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const showDiff = async (id: string) => setDiffOf(await get(`/api/versions/${id}`));
  const rows = [...versions].reverse();
  return (
    <Card size="small" title={t('报送版本')} extra={<ExportButton title="报送版本" rows={rows.map((v) => ({ ...v, rows: JSON.stringify(v.summary?.rows ?? v.summary ?? {}) }))} columns={[{ key: 'version', title: '版本' }, { key: 'status', title: '状态' }, { key: 'created_at', title: '提交时间' }, { key: 'note', title: '说明' }, { key: 'reason', title: '退回理由' }, { key: 'rows', title: '行数' }]} />}>
      {versions.length === 0 ? <Empty description="尚未报送" /> : (
        <Table rowKey="id" size="small" dataSource={rows} pagination={false} data-testid="versions"
          columns={[
            { title: t('版本'), dataIndex: 'version', width: 60, render: (v) => `第${v}版` },
            { title: t('状态'), dataIndex: 'status', width: 90, render: (v) => <StatusTag status={v} /> },
            { title: '提交时间', dataIndex: 'created_at', width: 160, render: (v) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: '内容', render: (_, v) => Object.entries(v.summary?.rows ?? {}).map(([f, n]) => <Tag key={f}>{f} {String(n)}行</Tag>) },
            { title: t('退回理由'), dataIndex: 'reason', width: 160, ellipsis: true },
            {
              title: t('操作'), width: 270, render: (_, v) => (
                <Space size="small">
                  {v.version > 1 && <Button size="small" onClick={() => showDiff(v.id)}>{t('与上一版本比较')}</Button>}
                  {canReview && v.status === 'submitted' && <Button size="small" danger onClick={() => { setReason(''); setReturning(v.id); }} data-testid="return">{t('退回')}</Button>}
                  {canReview && v.status === 'submitted' && <Button size="small" type="primary" onClick={() => act(`/api/versions/${v.id}/approve`)} data-testid="approve">{t('通过')}</Button>}
                  {canWithdraw && v.status === 'submitted' && <Button size="small" onClick={() => act(`/api/versions/${v.id}/withdraw`)}>撤回</Button>}
                </Space>
              ),
            },
          ]} />
      )}
      <Modal title={t('退回')} open={!!returning} onCancel={() => setReturning(null)} okText={t('退回')} okButtonProps={{ danger: true, disabled: !reason.trim(), 'data-testid': 'confirm-return' } as any}
        onOk={async () => { await act(`/api/versions/${returning}/return`, { reason }); setReturning(null); }}>
        <Input.TextArea rows={3} placeholder="请写明退回理由（报送单位将看到）" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
      </Modal>
      <Modal title={diffOf ? `第${diffOf.version}版 与上一版本比较` : ''} open={!!diffOf} onCancel={() => setDiffOf(null)} footer={null} width={900}>
        {diffOf && <Diff diff={diffOf.diff} />}
      </Modal>
    </Card>
  );
}

function Diff({ diff }: { diff: any }) {
  if (!diff) return <Empty description="无上一版本" />;
  if (!Array.isArray(diff)) return <pre style={{ maxHeight: 400, overflow: 'auto' }}>{JSON.stringify(diff, null, 2)}</pre>;
  return (
    <div data-testid="diff">
      {diff.map((d: any) => (
        <div key={d.file ?? d.indicator} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{d.file ?? d.indicator}</Typography.Text>{' '}
          {d.added !== undefined && <><Tag color="green">新增 {d.added}</Tag><Tag color="red">删除 {d.removed}</Tag><Tag color="orange">修改 {d.changed}</Tag></>}
          {d.details?.length > 0 && (
            <DataTable exportTitle="版本差异" size="small" rowKey={(r: any) => r.key + r.change} dataSource={d.details} pagination={{ pageSize: 6 }}
              columns={[
                { title: '行（主键）', dataIndex: 'key', width: 200 },
                { title: '变化', dataIndex: 'change', width: 80, render: (v) => ({ added: '新增', removed: '删除', changed: '修改' })[v as string] },
                { title: '单元格', render: (_, r: any) => (r.cells ?? []).map((c: any) => <div key={c.column}>{c.column}：<del>{c.from}</del> → <b>{c.to}</b></div>) },
              ]} />
          )}
          {d.from !== undefined && <span>{JSON.stringify(d.from)} → {JSON.stringify(d.to)}</span>}
        </div>
      ))}
    </div>
  );
}
