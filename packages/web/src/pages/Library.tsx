// The policy library: each policy clause by clause (text, conditions, formula, cap, readings and
// parameters, the open ones marked), linked to the programmes using it; schemes' indicator trees.
import { Link, useParams } from 'react-router-dom';
import { Card, Col, Collapse, Descriptions, Row, Table, Tag, Typography } from 'antd';
import { PageTitle, useLoad } from '../components/common.tsx';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

export function Library() {
  const t = useT();
  const { data } = useLoad<any>('/api/library');
  return (
    <>
      <PageTitle>{t('政策库')}</PageTitle>
      <Row gutter={16}>
        <Col span={14}>
          <Card size="small" title={t('资金政策')}>
            <DataTable exportTitle="资金政策" rowKey="id" size="small" pagination={false} dataSource={data?.policies ?? []} data-testid="policies"
              columns={[
                { title: '政策', dataIndex: 'title', render: (v, r: any) => <Link to={`/library/policies/${r.id}`}>{v}</Link> },
                { title: '条款', dataIndex: 'clauses', width: 60 },
                { title: '待定参数', dataIndex: 'open', width: 90, render: (v) => (v ? <Tag color="orange">{v}</Tag> : '—') },
              ]} />
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('绩效评价方案')}>
            <DataTable exportTitle="评价方案" rowKey="id" size="small" pagination={false} dataSource={data?.schemes ?? []}
              columns={[{ title: '方案', dataIndex: 'title', render: (v, r: any) => <Link to={`/library/schemes/${r.id}`}>{v}</Link> }, { title: '一级指标', dataIndex: 'indicators', width: 80 }]} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export function UsedBy({ list }: { list: any[] }) {
  const t = useT();
  return (
    <span>{t('使用项目')}：{list.length ? list.map((p) => <Tag key={p.id}>{p.cycle_id ? <Link to={`/cycles/${p.cycle_id}`}>{p.title}</Link> : p.title}</Tag>) : '—'}</span>
  );
}

export function PolicyPage() {
  const { id } = useParams();
  const t = useT();
  const { data } = useLoad<any>(`/api/library/policies/${id}`);
  if (!data) return null;
  return (
    <>
      <PageTitle>{data.title}</PageTitle>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={2} items={[
          { label: '文件', children: data.document, span: 2 },
          { label: '有效期', children: `${data.effective.from ?? '…'} 至 ${data.effective.to ?? '…'}` },
          { label: '引用', children: data.citation },
          ...(data.exclusions ? [{ label: '不予享受', children: data.exclusions.list.map((x: any) => x.zh).join('；'), span: 2 }] : []),
          { label: t('使用项目'), children: <UsedBy list={data.used_by} />, span: 2 },
        ]} />
      </Card>
      <Collapse data-testid="clauses" defaultActiveKey={[data.clauses[0]?.id]} items={data.clauses.map((c: any) => ({
        key: c.id,
        label: <span><b>{c.cite}</b> {c.title} {c.params.some((p: any) => p.open && p.value === null) && <Tag color="orange">有待定参数</Tag>}</span>,
        children: (
          <>
            <Typography.Paragraph style={{ background: '#fafafa', padding: 12, borderLeft: '3px solid #b7202e' }}>{c.text}</Typography.Paragraph>
            <Descriptions size="small" column={1} bordered items={[
              { label: t('对象'), children: `${c.recipient_zh}（${c.from}）` },
              ...(c.where ? [{ label: '纳入条件', children: <code>{c.where}</code> }] : []),
              ...c.lets.map((l: any) => ({ label: l.zh ?? l.name, children: <code>{l.expr}</code> })),
              ...(c.eligible ? [{ label: '享受条件', children: <code>{c.eligible}</code> }] : []),
              { label: '计算金额', children: <code>{c.amount}</code> },
              ...(c.cap ? [{ label: '上限', children: c.cap }] : []),
              ...(c.pool ? [{ label: '资金池', children: c.pool }] : []),
              ...(c.rank ? [{ label: '排名', children: c.rank }] : []),
              { label: '取整', children: c.rounding },
            ]} />
            {c.params.length > 0 && (
              <DataTable exportTitle="参数" style={{ marginTop: 12 }} rowKey="key" size="small" pagination={false} dataSource={c.params} title={() => <b>{t('参数')}</b>}
                columns={[
                  { title: '参数', dataIndex: 'key', width: 220, render: (v) => <code>{v}</code> },
                  { title: '当前值', dataIndex: 'value', width: 200, render: (v, p: any) => (v === null ? <Tag color="orange">{t('未设定')}（文件未明确）</Tag> : <span>{v}{p.open ? '' : ''}</span>) },
                  { title: '文件表述', dataIndex: 'text' },
                ]} />
            )}
            {c.variants.length > 1 && (
              <DataTable exportTitle="口径" style={{ marginTop: 12 }} rowKey="name" size="small" pagination={false} dataSource={c.variants} title={() => <b>{t('口径')}</b>}
                columns={[{ title: '口径', dataIndex: 'name', width: 220, render: (v, r: any) => <>{v} {r.default && <Tag color="blue">默认</Tag>}</> }, { title: '说明', dataIndex: 'text' }]} />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.citation}</Typography.Text>
          </>
        ),
      }))} />
    </>
  );
}

export function SchemePage() {
  const { id } = useParams();
  const t = useT();
  const { data } = useLoad<any>(`/api/library/schemes/${id}`);
  if (!data) return null;
  // Flattened with the depth as indent (antd would read `children` as a collapsible tree).
  const flat = (b: any[], depth = 0): any[] => b.flatMap((x) => [{ ...x, children: undefined, depth }, ...flat(x.children ?? [], depth + 1)]);
  return (
    <>
      <PageTitle>{data.title}</PageTitle>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={2} items={[
          { label: '文件', children: data.document, span: 2 },
          { label: '评价对象', children: data.units },
          { label: '总分', children: data.total_points },
          { label: '等次', children: data.grades.map((g: any) => `${g.grade} ≥ ${g.from}`).join('；'), span: 2 },
          { label: t('使用项目'), children: <UsedBy list={data.used_by} />, span: 2 },
        ]} />
      </Card>
      <Card size="small" title="指标体系">
        <DataTable exportTitle="指标体系" rowKey={(r: any) => r.id} size="small" pagination={false} dataSource={flat(data.indicators)}
          columns={[
            { title: t('指标'), render: (_, r: any) => <span style={{ paddingLeft: r.depth * 16, fontWeight: r.depth ? 400 : 600 }}>{r.name}</span> },
            { title: t('分值'), dataIndex: 'points', width: 60, align: 'right' },
            { title: '计分方法', dataIndex: 'method', width: 130 },
            { title: '填报部门', dataIndex: 'filled_by', width: 140, ellipsis: true },
            { title: '依据', dataIndex: 'cite', width: 160, ellipsis: true },
          ]} />
      </Card>
    </>
  );
}
