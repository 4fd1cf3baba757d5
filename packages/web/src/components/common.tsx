// Small shared pieces: data loading, status tags, the money unit switch, Excel export of a table.
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Segmented, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { download, get } from '../api.ts';
import { useT } from '../i18n.ts';
import type { MoneyUnit } from '../money.ts';

/** GET a URL; `reload` fetches again. Errors are shown once as a message. */
export function useLoad<T = any>(url: string | null, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const reload = useCallback(async () => {
    if (!url) return;
    setLoading(true);
    try {
      setData(await get<T>(url));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [url, ...deps]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

const STATUS: Record<string, [string, string]> = {
  submitted: ['已提交', 'processing'],
  approved: ['已通过', 'success'],
  returned: ['已退回', 'error'],
  withdrawn: ['已撤回', 'default'],
  queued: ['排队中', 'default'],
  running: ['计算中', 'processing'],
  done: ['已完成', 'success'],
  failed: ['失败', 'error'],
  published: ['已公示', 'success'],
  open: ['进行中', 'processing'],
  closed: ['已结束', 'default'],
};

/** A status in words, for exports. */
export const statusZh = (status: string | null | undefined) => (status ? STATUS[status]?.[0] ?? status : '未报送');

export function StatusTag({ status }: { status: string | null | undefined }) {
  const t = useT();
  if (!status) return <Tag>{t('未报送')}</Tag>;
  const [zh, color] = STATUS[status] ?? [status, 'default'];
  return <Tag color={color}>{t(zh)}</Tag>;
}

export function UnitSwitch({ value, onChange }: { value: MoneyUnit; onChange: (u: MoneyUnit) => void }) {
  return <Segmented size="small" value={value} onChange={(v) => onChange(v as MoneyUnit)} options={['元', '万元', '亿元']} data-testid="money-unit" />;
}

export interface ExportColumn {
  key: string;
  title: string;
  money?: boolean;
}

/**
 * Every table can be taken to Excel: the rows as shown, money as exact yuan. Signed-in pages post
 * their rows; public pages pass `href`, a workbook the server builds from the published result.
 */
export function ExportButton({ title, columns, rows, href }: { title: string; columns?: ExportColumn[]; rows?: Record<string, any>[] | (() => Record<string, any>[]); href?: string }) {
  const t = useT();
  const { message } = App.useApp();
  const run = () => (href ? download(href, `${title}.xlsx`) : download('/api/exports/xlsx', `${title}.xlsx`, { title, columns, rows: typeof rows === 'function' ? rows() : rows }));
  return (
    <Button size="small" icon={<DownloadOutlined />} onClick={() => run().catch((e) => message.error(e.message))}>
      {t('导出Excel')}
    </Button>
  );
}

export function PageTitle({ children, extra }: { children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 16, flexWrap: 'wrap' }}>
      <h2 style={{ margin: 0, fontSize: 20, fontWeight: 600 }}>{children}</h2>
      <div style={{ flex: 1 }} />
      {extra}
    </div>
  );
}
