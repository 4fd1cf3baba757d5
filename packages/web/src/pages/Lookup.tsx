// 惠企政策一键查: an enterprise or farmer enters its profile and financing (or its USCC) and sees the
// clauses that pay it directly, whether it may qualify, an estimate with the steps, computed by
// the same rules as the bureau's computations; with a USCC, also what published results grant it.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Collapse, Empty, Form, Input, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { post } from '../api.ts';
import { PageTitle } from '../components/common.tsx';
import { Trace } from '../components/Trace.tsx';
import { formatMoney } from '../money.ts';
import { useT } from '../i18n.ts';
import { DataTable } from '../components/DataTable.tsx';

const INDUSTRIES = [['agriculture', '农林牧渔业'], ['industry', '工业'], ['construction', '建筑业'], ['wholesale', '批发业'], ['retail', '零售业'], ['transport', '交通运输业'], ['software', '软件和信息技术服务业'], ['leasing_business', '租赁和商务服务业'], ['other', '其他未列明行业']];
const KINDS = [['enterprise', '企业'], ['individual_business', '个体工商户'], ['farmer', '农户'], ['new_agri_entity', '新型农业经营主体']];
const REGIONS = [
  ['330302', '温州市鹿城区'], ['330303', '温州市龙湾区'], ['330304', '温州市瓯海区'], ['330305', '温州市洞头区'], ['330324', '温州市永嘉县'], ['330326', '温州市平阳县'],
  ['330327', '温州市苍南县'], ['330381', '瑞安市'], ['330382', '乐清市'], ['331082', '临海市'], ['371502', '聊城市东昌府区'], ['371521', '聊城市阳谷县'],
];
const VIA: Record<string, [string, string]> = { direct: ['直接享受', 'red'], guarantee: ['通过担保机构惠及', 'blue'], insurance: ['通过保险机构惠及', 'cyan'] };

export function Lookup() {
  const t = useT();
  const { message } = App.useApp();
  const [res, setRes] = useState<any>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: any) => {
    setBusy(true);
    try {
      setRes(await post('/api/public/lookup', Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== ''))));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>{t('惠企政策一键查')}</PageTitle>
      <Row gutter={16}>
        <Col span={9}>
          <Card size="small" title="填写主体情况">
            <Form layout="vertical" size="small" onFinish={onFinish} initialValues={{ kind: 'enterprise', industry: 'software', region: '331082', tech_enterprise: true }} data-testid="lookup-form">
              <Form.Item name="uscc" label="统一社会信用代码（已有数据时可只填此项）"><Input maxLength={18} data-testid="lookup-uscc" /></Form.Item>
              <Row gutter={8}>
                <Col span={12}><Form.Item name="name" label="名称"><Input /></Form.Item></Col>
                <Col span={12}><Form.Item name="kind" label="主体类型"><Select options={KINDS.map(([value, label]) => ({ value, label }))} /></Form.Item></Col>
                <Col span={12}><Form.Item name="industry" label="行业"><Select options={INDUSTRIES.map(([value, label]) => ({ value, label }))} /></Form.Item></Col>
                <Col span={12}><Form.Item name="region" label="注册地"><Select options={REGIONS.map(([value, label]) => ({ value, label }))} /></Form.Item></Col>
                <Col span={12}><Form.Item name="employees" label="从业人员（人）"><Input data-testid="lookup-employees" /></Form.Item></Col>
                <Col span={12}><Form.Item name="annual_sales" label="年销售收入（元）"><Input data-testid="lookup-sales" /></Form.Item></Col>
                <Col span={12}><Form.Item name="revenue" label="营业收入（元）"><Input /></Form.Item></Col>
                <Col span={12}><Form.Item name="total_assets" label="资产总额（元）"><Input /></Form.Item></Col>
              </Row>
              <Form.Item name="tech_enterprise" label="科技型企业" valuePropName="checked"><Switch /></Form.Item>
              <Typography.Text strong>融资情况</Typography.Text>
              <Form.Item name="tech_branch_loan_balance" label="向科技支行所获贷款的月均余额（元）"><Input data-testid="lookup-balance" /></Form.Item>
              <Form.Item name="securitization_interest" label="技术产权证券化融资年度利息（元）"><Input /></Form.Item>
              <Form.Item name="financing_amount" label="拟通过担保或保证保险融资的金额（元，默认100万元）"><Input data-testid="lookup-financing" /></Form.Item>
              <Typography.Text strong>供应链金融（核心企业填写）</Typography.Text>
              <Row gutter={8}>
                <Col span={8}><Form.Item name="supply_chain_counterparties" label="上下游企业（家）"><Input /></Form.Item></Col>
                <Col span={8}><Form.Item name="supply_chain_financings" label="确权融资（笔）"><Input /></Form.Item></Col>
                <Col span={8}><Form.Item name="supply_chain_amount" label="融资金额（元）"><Input /></Form.Item></Col>
              </Row>
              <Button type="primary" htmlType="submit" loading={busy} block data-testid="lookup-submit">{t('查询')}</Button>
            </Form>
          </Card>
        </Col>
        <Col span={15}>
          {!res ? <Alert type="info" showIcon title="按政策原文逐条测算：填写情况后点“查询”，结果与财政局计算使用同一套规则。测算仅供参考，以正式审核结果为准。" /> : (
            <>
              {res.on_file.length > 0 && (
                <Card size="small" title={t('已公示的资金')} style={{ marginBottom: 16 }}>
                  <DataTable exportTitle="已公示的资金" rowKey={(r: any) => r.computation + r.clause} size="small" pagination={false} dataSource={res.on_file} data-testid="lookup-on-file"
                    columns={[{ title: '项目', dataIndex: 'title', ellipsis: true }, { title: '年度', dataIndex: 'year', width: 60 }, { title: '依据', dataIndex: 'citation', ellipsis: true }, { title: '金额（元）', dataIndex: 'amount', width: 130, align: 'right', render: (v) => formatMoney(v) }]} />
                </Card>
              )}
              <Card size="small" title={t('可能符合的条款')}>
                {res.clauses.length === 0 ? <Empty description={res.asked ? '所在地区暂无已收录的政策条款' : '请填写主体类型、销售收入和融资情况以测算'} /> : (
                  <Collapse data-testid="lookup-clauses" items={res.clauses.map((c: any, i: number) => ({
                    key: String(i),
                    label: <span>{c.qualifies ? <Tag color="green">可能符合</Tag> : <Tag>暂不符合</Tag>} <Tag color={VIA[c.via]?.[1]}>{VIA[c.via]?.[0]}</Tag> {c.title} {c.qualifies && c.via === 'direct' && <b>约 {formatMoney(c.amount)} 元</b>}</span>,
                    children: (
                      <>
                        <Typography.Paragraph style={{ background: '#fafafa', padding: 8 }}>{c.text}</Typography.Paragraph>
                        <Typography.Paragraph type="secondary">{c.policy_title} · {c.citation}</Typography.Paragraph>
                        <Typography.Paragraph>{c.reason}</Typography.Paragraph>
                        {c.trace.length > 0 && <Trace steps={c.trace} />}
                      </>
                    ),
                  }))} />
                )}
              </Card>
            </>
          )}
        </Col>
      </Row>
    </>
  );
}
