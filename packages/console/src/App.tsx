import { useContext, useEffect, useState } from 'react';
import { Layout, Menu, Spin, Button, Space, Typography } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { api, setCsrfToken, subscribeUnauthenticated } from './api.ts';
import { I18nContext, useT, type MessageKey } from './i18n.ts';
import { LoginPage } from './pages/Login.tsx';
import { WorkbenchPage } from './pages/Workbench.tsx';
import { AreasPage } from './pages/Areas.tsx';
import { OrganizationsPage } from './pages/Organizations.tsx';
import { UsersPage } from './pages/Users.tsx';
import { AuditPage } from './pages/Audit.tsx';

type PageKey = 'workbench' | 'areas' | 'organizations' | 'users' | 'audit';
/** The menu follows the user's permissions: nobody is shown a page the API would refuse. */
const pages: { key: PageKey; label: MessageKey; permission: string | null }[] = [
  { key: 'workbench', label: 'menu.workbench', permission: null },
  { key: 'areas', label: 'menu.areas', permission: 'area.read' },
  { key: 'organizations', label: 'menu.organizations', permission: 'organization.read' },
  { key: 'users', label: 'menu.users', permission: 'user.read' },
  { key: 'audit', label: 'menu.audit', permission: 'audit.read' },
];

export function App() {
  const t = useT();
  const { locale, setLocale } = useContext(I18nContext);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [page, setPage] = useState<PageKey>('workbench');

  useEffect(() => {
    api.call('me').then((m) => { setCsrfToken(m.csrfToken); setMe(m); }).catch(() => setMe(null));
    return subscribeUnauthenticated((code) => {
      setMe(null);
      setNotice(code === 'AUTH_SESSION_EXPIRED' ? t('login.expired') : null);
    });
  }, []);

  if (me === undefined) return <Spin style={{ marginTop: '20vh', width: '100%' }} />;
  if (me === null) return <LoginPage notice={notice} onLogin={(m) => { setCsrfToken(m.csrfToken); setNotice(null); setMe(m); }} />;

  const visible = pages.filter((p) => !p.permission || me.permissions.includes(p.permission));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <Typography.Title level={5} style={{ padding: 16, margin: 0 }}>{t('app.title')}</Typography.Title>
        <Menu mode="inline" selectedKeys={[page]} onClick={(e) => setPage(e.key as PageKey)}
          items={visible.map((p) => ({ key: p.key, label: t(p.label) }))} data-testid="menu" />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}>
          <Space>
            <span>{me.user.displayName} · {me.organization.name}</span>
            <Button size="small" onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}>{t('menu.language')}</Button>
            <Button size="small" onClick={async () => { await api.call('logout').catch(() => {}); setCsrfToken(null); setMe(null); }}>{t('menu.logout')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          {page === 'workbench' && <WorkbenchPage me={me} />}
          {page === 'areas' && <AreasPage me={me} />}
          {page === 'organizations' && <OrganizationsPage />}
          {page === 'users' && <UsersPage me={me} />}
          {page === 'audit' && <AuditPage />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
