// The shell: antd in Chinese (English switchable), the signed-in account, a menu per role, routes.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Segmented, Space, Spin, Typography } from 'antd';
import { AuditOutlined, BankOutlined, BookOutlined, DesktopOutlined, NotificationOutlined, SearchOutlined } from '@ant-design/icons';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { get, post, setCsrf, type Me } from './api.ts';
import { LangCtx, useT, type Lang } from './i18n.ts';
import { Login } from './pages/Login.tsx';
import { Workbench } from './pages/Workbench.tsx';
import { Programmes, Programme } from './pages/Programmes.tsx';
import { Cycle } from './pages/Cycle.tsx';
import { Task } from './pages/Task.tsx';
import { Computation } from './pages/Computation.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { Library, PolicyPage, SchemePage } from './pages/Library.tsx';
import { WhatIf } from './pages/WhatIf.tsx';
import { PublicList, PublicResult } from './pages/Public.tsx';
import { Lookup } from './pages/Lookup.tsx';
import { Audit } from './pages/Audit.tsx';

dayjs.locale('zh-cn');

interface AuthState {
  me: Me | null;
  refresh: () => Promise<void>;
}
const AuthCtx = createContext<AuthState>({ me: null, refresh: async () => {} });
export const useMe = () => useContext(AuthCtx);

const BUSINESS = new Set(['bureau_admin', 'reviewer', 'district_filler', 'bank_reporter', 'guarantor_reporter', 'insurer_reporter']);

function Shell({ children }: { children: ReactNode }) {
  const { me, refresh } = useMe();
  const t = useT();
  const { lang, setLang } = useContext(LangCtx);
  const loc = useLocation();
  const nav = useNavigate();
  const items = [
    ...(me && BUSINESS.has(me.role) ? [{ key: '/', icon: <DesktopOutlined />, label: <Link to="/">{t('工作台')}</Link> }] : []),
    ...(me && (me.role === 'bureau_admin' || me.role === 'reviewer') ? [{ key: '/programmes', icon: <BankOutlined />, label: <Link to="/programmes">{t('项目与周期')}</Link> }] : []),
    { key: '/library', icon: <BookOutlined />, label: <Link to="/library">{t('政策库')}</Link> },
    { key: '/public', icon: <NotificationOutlined />, label: <Link to="/public">{t('公示结果')}</Link> },
    { key: '/public/lookup', icon: <SearchOutlined />, label: <Link to="/public/lookup">{t('惠企政策一键查')}</Link> },
    ...(me?.role === 'audit_admin' ? [{ key: '/audit', icon: <AuditOutlined />, label: <Link to="/audit">{t('审计日志')}</Link> }] : []),
  ];
  const selected = items.map((i) => i.key).filter((k) => (k === '/' ? loc.pathname === '/' : loc.pathname.startsWith(k))).sort((a, b) => b.length - a.length)[0] ?? '';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, padding: '0 20px', background: '#fff', borderBottom: '1px solid #e8e8e8' }}>
        <Link to={me ? '/' : '/public'} style={{ display: 'flex', alignItems: 'baseline', gap: 8, whiteSpace: 'nowrap' }}>
          <Typography.Title level={4} style={{ margin: 0, color: '#b7202e' }}>{t('财金')}</Typography.Title>
          <Typography.Text type="secondary">{t('财政金融政策平台')}</Typography.Text>
        </Link>
        <div style={{ flex: 1 }} />
        <Segmented size="small" value={lang} onChange={(v) => setLang(v as Lang)} options={[{ label: '中文', value: 'zh' }, { label: 'EN', value: 'en' }]} />
        {me ? (
          <Space>
            <Typography.Text data-testid="whoami">{me.name}（{me.role_zh}）</Typography.Text>
            <Button size="small" onClick={async () => { await post('/api/auth/logout'); await refresh(); nav('/login'); }}>{t('退出')}</Button>
          </Space>
        ) : (
          <Button type="primary" size="small" onClick={() => nav('/login')}>{t('登录')}</Button>
        )}
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 20, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}

function RequireLogin({ children }: { children: ReactNode }) {
  const { me } = useMe();
  const loc = useLocation();
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname)}`} replace />;
  return <>{children}</>;
}

function Home() {
  const { me } = useMe();
  if (!me) return <Navigate to="/public" replace />;
  if (me.role === 'audit_admin') return <Navigate to="/audit" replace />;
  return <Workbench />;
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('caijin.lang') === 'en' ? 'en' : 'zh'));
  const refresh = async () => {
    try {
      const m = await get<Me>('/api/me');
      setCsrf(m.csrf);
      setMe(m);
    } catch {
      setMe(null);
    }
  };
  useEffect(() => {
    refresh().finally(() => setReady(true));
  }, []);
  const langValue = useMemo(() => ({ lang, setLang: (l: Lang) => { localStorage.setItem('caijin.lang', l); setLangState(l); } }), [lang]);
  if (!ready) return <Spin style={{ margin: 80 }} />;
  const guard = (x: ReactNode) => <RequireLogin>{x}</RequireLogin>;
  return (
    <LangCtx.Provider value={langValue}>
      <ConfigProvider button={{ autoInsertSpace: false }} locale={lang === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: '#b7202e', borderRadius: 4, fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif' } }}>
        <AntApp>
          <AuthCtx.Provider value={{ me, refresh }}>
            <BrowserRouter>
              <Shell>
                <Routes>
                  <Route path="/login" element={<Login />} />
                  <Route path="/" element={<Home />} />
                  <Route path="/programmes" element={guard(<Programmes />)} />
                  <Route path="/programmes/:id" element={guard(<Programme />)} />
                  <Route path="/cycles/:id" element={guard(<Cycle />)} />
                  <Route path="/cycles/:id/dashboard" element={guard(<Dashboard />)} />
                  <Route path="/cycles/:id/what-if" element={guard(<WhatIf />)} />
                  <Route path="/tasks/:id" element={guard(<Task />)} />
                  <Route path="/computations/:id" element={guard(<Computation />)} />
                  <Route path="/library" element={<Library />} />
                  <Route path="/library/policies/:id" element={<PolicyPage />} />
                  <Route path="/library/schemes/:id" element={<SchemePage />} />
                  <Route path="/public" element={<PublicList />} />
                  <Route path="/public/results/:id" element={<PublicResult />} />
                  <Route path="/public/lookup" element={<Lookup />} />
                  <Route path="/audit" element={guard(<Audit />)} />
                  <Route path="*" element={<Navigate to="/" replace />} />
                </Routes>
              </Shell>
            </BrowserRouter>
          </AuthCtx.Provider>
        </AntApp>
      </ConfigProvider>
    </LangCtx.Provider>
  );
}
