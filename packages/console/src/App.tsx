import { lazy, Suspense, useContext, useEffect, useState, type ReactNode } from 'react';
import { Badge, Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { api, setCsrfToken, subscribeUnauthenticated } from './api.ts';
import { I18nContext, useT, type MessageKey } from './i18n.ts';
import { match, navigate, useLocation } from './router.ts';
import { LoginPage } from './pages/Login.tsx';
import { phoneFirst } from './util.ts';

// every screen but sign-in loads on first use, so the first paint carries only what it shows
const WorkbenchPage = lazy(() => import('./pages/Workbench.tsx'));
const CasesPage = lazy(() => import('./pages/Cases.tsx'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetail.tsx'));
const IntakePage = lazy(() => import('./pages/Intake.tsx'));
const AreasPage = lazy(() => import('./pages/Areas.tsx'));
const OrganizationsPage = lazy(() => import('./pages/Organizations.tsx'));
const UsersPage = lazy(() => import('./pages/Users.tsx'));
const AuditPage = lazy(() => import('./pages/Audit.tsx'));
const SettingsPage = lazy(() => import('./pages/Settings.tsx'));
const GridWorkerPage = lazy(() => import('./pages/GridWorker.tsx'));
const MapPage = lazy(() => import('./pages/MapPage.tsx'));
const GridPage = lazy(() => import('./pages/GridPage.tsx'));
const RegistryPage = lazy(() => import('./pages/Registry.tsx'));
const MediationsPage = lazy(() => import('./pages/Mediations.tsx'));
const MediationDetailPage = lazy(() => import('./pages/MediationDetail.tsx'));
const MediationPoolPage = lazy(() => import('./pages/MediationPool.tsx'));
const SweepsPage = lazy(() => import('./pages/Sweeps.tsx'));
const CommandCenterPage = lazy(() => import('./pages/CommandCenter.tsx'));
const BigScreenPage = lazy(() => import('./pages/BigScreen.tsx'));
const LeaderViewPage = lazy(() => import('./pages/LeaderView.tsx'));
const IntegrationsPage = lazy(() => import('./pages/Integrations.tsx'));

/** The menu follows the user's roles and permissions: nobody is shown a page the API would refuse. */
const pages: { path: string; label: MessageKey; visible: (me: Me) => boolean }[] = [
  { path: '/', label: 'menu.workbench', visible: () => true },
  { path: '/cases', label: 'menu.cases', visible: () => true },
  { path: '/command', label: 'menu.command', visible: (me) => me.permissions.includes('figures.read') && !me.user.roles.every((r) => r === 'grid_worker') },
  { path: '/intake', label: 'menu.intake', visible: (me) => me.permissions.includes('case.create') },
  { path: '/mediations', label: 'menu.mediation', visible: (me) => me.permissions.includes('mediation.manage') || me.user.roles.includes('leader') },
  { path: '/mediation-pool', label: 'menu.mediationPool', visible: (me) => me.permissions.includes('mediation.manage') || me.permissions.includes('organization.write') },
  { path: '/sweeps', label: 'menu.sweeps', visible: (me) => me.permissions.includes('sweep.manage') || me.permissions.includes('sweep.report') },
  { path: '/grid', label: 'menu.grid', visible: (me) => me.user.roles.includes('grid_worker') },
  { path: '/map', label: 'menu.map', visible: (me) => me.permissions.includes('area.read') },
  { path: '/registry', label: 'menu.registry', visible: (me) => me.permissions.includes('registry.read') },
  { path: '/areas', label: 'menu.areas', visible: (me) => me.permissions.includes('area.read') },
  { path: '/organizations', label: 'menu.organizations', visible: (me) => me.permissions.includes('organization.read') },
  { path: '/users', label: 'menu.users', visible: (me) => me.permissions.includes('user.read') },
  { path: '/settings', label: 'menu.settings', visible: (me) => me.permissions.includes('settings.write') },
  { path: '/integrations', label: 'menu.integrations', visible: (me) => me.permissions.includes('token.manage') },
  { path: '/audit', label: 'menu.audit', visible: (me) => me.permissions.includes('audit.read') },
];

function Page({ me }: { me: Me }) {
  const { path } = useLocation();
  let id: Record<string, string> | null;
  if (path === '/' || path === '') return <WorkbenchPage me={me} />;
  if (path === '/cases') return <CasesPage me={me} />;
  if ((id = match('/cases/:id', path))) return <CaseDetailPage me={me} id={id.id!} />;
  if (path === '/intake') return <IntakePage me={me} />;
  if (path === '/mediations') return <MediationsPage me={me} />;
  if ((id = match('/mediations/:id', path))) return <MediationDetailPage me={me} id={id.id!} />;
  if (path === '/mediation-pool') return <MediationPoolPage me={me} />;
  if (path === '/sweeps') return <SweepsPage me={me} />;
  if (path === '/command') return <CommandCenterPage me={me} />;
  if (path === '/grid') return <GridWorkerPage me={me} />;
  if (path === '/map') return <MapPage me={me} />;
  if (path === '/registry') return <RegistryPage me={me} />;
  if ((id = match('/grids/:id', path))) return <GridPage me={me} id={Number(id.id)} />;
  if (path === '/areas') return <AreasPage me={me} />;
  if (path === '/organizations') return <OrganizationsPage />;
  if (path === '/users') return <UsersPage me={me} />;
  if (path === '/settings') return <SettingsPage me={me} />;
  if (path === '/integrations') return <IntegrationsPage />;
  if (path === '/audit') return <AuditPage />;
  return <NotFound />;
}

/** An address the console does not have: said plainly, with the way back. */
function NotFound() {
  const t = useT();
  return (
    <Result status="404" title={t('notFound.title')} subTitle={t('notFound.hint')} data-testid="not-found"
      extra={<Button type="primary" onClick={() => navigate('/')}>{t('notFound.back')}</Button>} />
  );
}

/** The menu entry a page belongs to: a case under 事项, a grid's page under the map it is opened from. */
function menuEntryOf(path: string, visible: { path: string }[]): string | null {
  if (path === '/') return '/';
  const owner = path.startsWith('/grids/') ? (visible.some((p) => p.path === '/map') ? '/map' : '/registry') : null;
  return owner ?? visible.filter((p) => p.path !== '/' && (path === p.path || path.startsWith(`${p.path}/`))).sort((a, b) => b.path.length - a.path.length)[0]?.path ?? null;
}

/** A page's name: its menu entry's (a case's page is under 事项), whoever may see the menu. */
function titleOf(path: string, t: ReturnType<typeof useT>): string {
  const entry = menuEntryOf(path, pages);
  return t(pages.find((p) => p.path === entry)?.label ?? 'notFound.title');
}

/** The browser tab says which page it is: 事项 · 枫桥 · 综治中心. */
function PageTitle({ title }: { title: string }) {
  const t = useT();
  useEffect(() => { document.title = `${title} · ${t('app.title')}`; }, [title, t]);
  return null;
}


export function App() {
  const t = useT();
  const { locale, setLocale } = useContext(I18nContext);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const { path } = useLocation();

  useEffect(() => {
    api.call('me').then((m) => { setCsrfToken(m.csrfToken); setMe(m); }).catch(() => setMe(null));
    return subscribeUnauthenticated((code) => {
      setMe(null);
      setNotice(code === 'AUTH_SESSION_EXPIRED' ? t('login.expired') : null);
    });
  }, []);
  useEffect(() => {
    if (!me) return undefined;
    const poll = () => api.call('listNotifications', { query: { unread: true, limit: 100 } }).then((r) => setUnread(r.items.length)).catch(() => {});
    poll();
    const timer = setInterval(poll, 60_000);
    return () => clearInterval(timer);
  }, [me]);

  if (me === undefined) return <Spin style={{ marginTop: '20vh', width: '100%' }} />;
  if (me === null) return <LoginPage notice={notice} onLogin={(m) => { setCsrfToken(m.csrfToken); setNotice(null); setMe(m); if (phoneFirst(m)) navigate('/grid'); }} />;

  const logout = async () => { await api.call('logout').catch(() => {}); setCsrfToken(null); setMe(null); };
  const language = <Button size="small" onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid="language">{t('menu.language')}</Button>;
  const loading: ReactNode = <Spin style={{ marginTop: 48, width: '100%' }} />;

  // the wall screen and the leader's phone view have no console around them
  if (path === '/screen') return <Suspense fallback={loading}><BigScreenPage me={me} /></Suspense>;
  if (path === '/leader') return <Suspense fallback={loading}><LeaderViewPage me={me} /></Suspense>;

  // a grid worker's every page (the case opened from a task, the grid's registry) stays in the phone layout
  if (phoneFirst(me)) {
    const home = path === '/' || path === '/grid';
    return (
      <div className="fq-phone" data-testid="phone-shell">
        <PageTitle title={titleOf(path, t)} />
        <div className="fq-phone-bar">
          {home ? <span data-testid="whoami">{t('app.title')} · {me.user.displayName}</span>
            : <Button size="small" onClick={() => (history.length > 1 ? history.back() : navigate('/grid'))} data-testid="phone-back">‹ {t('phone.back')}</Button>}
          <Space>{language}<Button size="small" onClick={logout}>{t('menu.logout')}</Button></Space>
        </div>
        <Suspense fallback={loading}>{home ? <GridWorkerPage me={me} /> : <div style={{ padding: 8 }}><Page me={me} /></div>}</Suspense>
      </div>
    );
  }

  const visible = pages.filter((p) => p.visible(me));
  const entry = menuEntryOf(path, visible);
  const selected = entry ?? '';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" zeroWidthTriggerStyle={{ top: 12, zIndex: 2 }}>
        <Typography.Title level={5} style={{ padding: 16, margin: 0 }}>{t('app.title')}</Typography.Title>
        <PageTitle title={titleOf(path, t)} />
        <Menu mode="inline" selectedKeys={[selected]} onClick={(e) => navigate(e.key)}
          items={visible.map((p) => ({ key: p.path, label: t(p.label) }))} data-testid="menu" />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', paddingInline: 16 }}>
          <Space>
            <Badge count={unread} size="small" title={t('menu.unread', { n: unread })}><span data-testid="whoami">{me.user.displayName} · {me.organization.name}</span></Badge>
            {language}
            <Button size="small" onClick={logout} data-testid="logout">{t('menu.logout')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Suspense fallback={loading}><Page me={me} /></Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
