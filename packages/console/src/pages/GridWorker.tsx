import { useState } from 'react';
import { Button, Card, Empty, List, Space, Tabs, Tag } from 'antd';
import type { CaseDetail, Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useCategoryName } from '../data.ts';
import { useLabel, useT } from '../i18n.ts';
import { StatusTag, useAsync } from '../components.tsx';
import { navigate } from '../router.ts';
import { PatrolForm } from '../phone/PatrolForm.tsx';
import { formatTime } from '../util.ts';

/**
 * The grid worker's phone: my grid (its open cases), report what I found (photo, location) and handle it on
 * the spot, and my tasks (cases in my grid on which I can act now).
 */
export default function GridWorkerPage({ me }: { me: Me }) {
  const t = useT();
  const [tab, setTab] = useState('tasks');
  const [n, setN] = useState(0);
  const open = useAsync(() => api.call('listCases', { query: { areaId: me.area.id, open: true, limit: 100 } }), [n]);
  const items = open.data?.items ?? [];
  const tasks = items.filter((c) => c.allowedActions.length > 0);
  return (
    <div style={{ padding: 8 }} data-testid="grid-mode">
      <Tabs activeKey={tab} onChange={setTab} centered items={[
        { key: 'tasks', label: `${t('grid.tasks')} (${tasks.length})`, children: <CaseCards cases={tasks} empty={t('grid.noTasks')} /> },
        { key: 'report', label: t('grid.report'), children: <PatrolForm me={me} onDone={() => setN((x) => x + 1)} /> },
        { key: 'grid', label: t('grid.mine'), children: (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Card size="small"><b>{me.area.name}</b> <Tag>{me.area.code}</Tag> · {me.organization.name}<div>{t('grid.openCount', { n: items.length })}</div>
              {me.area.level === 'grid' && <Button block style={{ marginTop: 8 }} onClick={() => navigate(`/grids/${me.area.id}`)} data-testid="my-grid-registry">{t('grid.registry')}</Button>}</Card>
            <CaseCards cases={items} empty={t('grid.noOpen')} />
          </Space>
        ) },
      ]} />
    </div>
  );
}

function CaseCards({ cases, empty }: { cases: CaseDetail['case'][]; empty: string }) {
  const L = useLabel();
  const categoryName = useCategoryName();
  if (!cases.length) return <Empty description={empty} />;
  return (
    <List dataSource={cases} renderItem={(c) => (
      <Card size="small" style={{ marginBottom: 8 }} onClick={() => navigate(`/cases/${c.id}`)} hoverable data-testid="grid-case">
        <Space wrap><b>{categoryName(c.category)}</b><StatusTag status={c.status} />{c.tier && <Tag>{L('tier', c.tier)}</Tag>}</Space>
        <div style={{ color: '#555', marginTop: 4 }}>{c.description.slice(0, 80)}</div>
        <div style={{ color: '#999', fontSize: 12 }}>{c.number} · {formatTime(c.createdAt)}</div>
      </Card>
    )} />
  );
}
