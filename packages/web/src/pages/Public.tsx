// Public pages (no sign-in): published results with their 公示 period, the printable notice, and
// the objection form while the period is open.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Input, Row, Space, Table, Tag } from 'antd';
import { get, post } from '../api.ts';
import { ExportButton, PageTitle, useLoad } from '../components/common.tsx';
import { PolicyResultView } from './Computation.tsx';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

const today = () => new Date().toISOString().slice(0, 10);

export function PublicList() {
  const t = useT();
  const { data } = useLoad<any[]>('/api/public/results');
  return (
    <>
      <PageTitle>{t('公示结果')}</PageTitle>
      <Card size="small">
        <DataTable exportTitle="公示结果" rowKey="id" size="small" dataSource={data ?? []} pagination={{ pageSize: 15 }} data-testid="public-results"
          columns={[
            { title: t('项目'), dataIndex: 'title', render: (v, r: any) => <Link to={`/public/results/${r.id}`}>{v}</Link> },
            { title: t('年度'), dataIndex: 'year', width: 70 },
            { title: '发布时间', dataIndex: 'published_at', width: 120, render: (v) => String(v).slice(0, 10) },
            { title: t('公示期至'), dataIndex: 'notice_until', width: 150, render: (v) => <>{v} {v >= today() ? <Tag color="green">公示中</Tag> : <Tag>已结束</Tag>}</> },
          ]} />
      </Card>
    </>
  );
}

export function PublicResult() {
  const { id } = useParams();
  const t = useT();
  const { message } = App.useApp();
  const { data } = useLoad<any>(`/api/public/results/${id}`);
  const [sent, setSent] = useState<string | null>(null);
  if (!data) return null;
  const open = data.notice_until >= today();
  return (
    <>
      <PageTitle extra={<Space>
        <a href={`/api/public/results/${id}/notice.pdf`} target="_blank" rel="noreferrer"><Button type="primary" data-testid="notice-pdf">{t('打印公示PDF')}</Button></a>
        <a href={`/api/public/results/${id}/notice.html`} target="_blank" rel="noreferrer"><Button>网页版公示</Button></a>
      </Space>}>{data.year} 年度 {data.title}</PageTitle>
      <Alert style={{ marginBottom: 16 }} type={open ? 'info' : 'warning'} showIcon title={open ? `公示期至 ${data.notice_until}，期间可对公示内容提出异议。` : `公示期已于 ${data.notice_until} 结束。`} />
      {data.result.awards ? <PolicyResultView k={data} publicView /> : (
        <Card size="small" extra={<ExportButton title="评价结果" href={`/api/public/results/${id}/export.xlsx`} />}><Table rowKey="unit" size="small" dataSource={data.result.results} columns={[{ title: '排名', dataIndex: 'rank', width: 60 }, { title: '单位', dataIndex: 'name' }, { title: '得分', dataIndex: 'score' }, { title: '等次', dataIndex: 'grade' }]} /></Card>
      )}
      <Row gutter={16} style={{ marginTop: 16 }}>
        {open && (
          <Col span={14}>
            <Card size="small" title={t('提出异议')} data-testid="objection-form">
              {sent ? <Alert type="success" title={`异议已受理，编号 ${sent}。`} data-testid="objection-ok" /> : (
                <Form layout="vertical" onFinish={async (v) => { try { const r = await post(`/api/public/results/${id}/objections`, v); setSent(r.id); } catch (e) { message.error((e as Error).message); } }}>
                  <Row gutter={12}>
                    <Col span={8}><Form.Item name="name" label={t('姓名或单位')} rules={[{ required: true }]}><Input /></Form.Item></Col>
                    <Col span={8}><Form.Item name="contact" label={t('联系方式')} rules={[{ required: true, min: 3 }]}><Input /></Form.Item></Col>
                    <Col span={8}><Form.Item name="recipient" label="涉及对象（信用代码）"><Input /></Form.Item></Col>
                  </Row>
                  <Form.Item name="text" label={t('异议内容')} rules={[{ required: true, min: 5 }]}><Input.TextArea rows={3} /></Form.Item>
                  <Button htmlType="submit" type="primary">{t('提交')}</Button>
                </Form>
              )}
            </Card>
          </Col>
        )}
        <Col span={10}><ObjectionStatus /></Col>
      </Row>
    </>
  );
}

/** The objector reads the bureau's answer with the receipt number and the contact it gave. */
function ObjectionStatus() {
  const t = useT();
  const [res, setRes] = useState<{ status: string; answer: string | null } | string | null>(null);
  return (
    <Card size="small" title={t('查询异议答复')} data-testid="objection-lookup">
      <Form layout="vertical" onFinish={async (v) => {
        try {
          setRes(await get(`/api/public/objections/${encodeURIComponent(v.id.trim())}?contact=${encodeURIComponent(v.contact)}`));
        } catch (e) {
          setRes((e as Error).message);
        }
      }}>
        <Form.Item name="id" label={t('受理编号')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="contact" label={t('联系方式')} rules={[{ required: true }]}><Input /></Form.Item>
        <Button htmlType="submit">{t('查询')}</Button>
      </Form>
      {res && (typeof res === 'string'
        ? <Alert style={{ marginTop: 12 }} type="warning" title={res} />
        : <Alert style={{ marginTop: 12 }} type={res.status === 'answered' ? 'success' : 'info'} data-testid="objection-status"
            title={res.status === 'answered' ? `答复：${res.answer}` : '已受理，正在核实，尚未答复。'} />)}
    </Card>
  );
}
