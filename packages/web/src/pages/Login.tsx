// Sign-in. The server enforces the rules (Argon2id, lockout after five failures, rate limits);
// the page only shows its answers, which never reveal whether a user name exists.
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { post } from '../api.ts';
import { useMe } from '../App.tsx';
import { useT } from '../i18n.ts';

export function Login() {
  const t = useT();
  const { refresh } = useMe();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/auth/login', v);
      await refresh();
      nav(params.get('next') || '/');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 48 }}>
      <Card style={{ width: 380 }} title={<Typography.Title level={4} style={{ margin: 0 }}>{t('登录')}</Typography.Title>}>
        <Form layout="vertical" onFinish={onFinish} autoComplete="off">
          <Form.Item name="username" label={t('用户名')} rules={[{ required: true, message: t('请输入用户名') }]}>
            <Input prefix={<UserOutlined />} autoFocus id="username" />
          </Form.Item>
          <Form.Item name="password" label={t('密码')} rules={[{ required: true, message: t('请输入密码') }]}>
            <Input.Password prefix={<LockOutlined />} id="password" />
          </Form.Item>
          {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} showIcon />}
          <Button type="primary" htmlType="submit" block loading={busy}>{t('登录')}</Button>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
            连续 5 次密码错误将锁定账户 15 分钟；会话闲置 30 分钟自动退出。
          </Typography.Paragraph>
        </Form>
      </Card>
    </div>
  );
}
