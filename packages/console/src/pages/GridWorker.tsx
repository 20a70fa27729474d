import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, List, Result, Space, Tabs, Tag } from 'antd';
import type { CaseDetail, Me } from '@fengqiao/contracts';
import type { UploadFile } from 'antd';
import { api } from '../api.ts';
import { useLabel, useT } from '../i18n.ts';
import { StatusTag, errorText, useAsync } from '../components.tsx';
import { navigate } from '../router.ts';
import { AttachmentPicker, IntakeForm, uploadedIds } from './Intake.tsx';
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
        { key: 'report', label: t('grid.report'), children: <Report me={me} onDone={() => setN((x) => x + 1)} /> },
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
  if (!cases.length) return <Empty description={empty} />;
  return (
    <List dataSource={cases} renderItem={(c) => (
      <Card size="small" style={{ marginBottom: 8 }} onClick={() => navigate(`/cases/${c.id}`)} hoverable data-testid="grid-case">
        <Space wrap><b>{c.category.name}</b><StatusTag status={c.status} />{c.tier && <Tag>{L('tier', c.tier)}</Tag>}</Space>
        <div style={{ color: '#555', marginTop: 4 }}>{c.description.slice(0, 80)}</div>
        <div style={{ color: '#999', fontSize: 12 }}>{c.number} · {formatTime(c.createdAt)}</div>
      </Card>
    )} />
  );
}

function Report({ me, onDone }: { me: Me; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [created, setCreated] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [k, setK] = useState(0);
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  if (!created) return <IntakeForm key={k} me={me} channel="grid_patrol" onCreated={(d) => { setCreated(d); onDone(); }} />;
  const canHandle = created.case.allowedActions.includes('handle_on_spot');
  return (
    <Result status="success" title={t('intake.created', { number: created.case.number })} extra={
      <Space orientation="vertical" style={{ width: '100%' }}>
        {canHandle && created.case.status !== 'closed' && created.case.status !== 'replied' && (
          <Form layout="vertical" onFinish={async (v: { result: string }) => {
            try {
              const next = await api.call('case_handle_on_spot', { params: { id: created.case.id }, body: {
                version: created.case.version, result: v.result.trim(), ...(uploadedIds(photos).length ? { attachmentIds: uploadedIds(photos) } : {}),
              } });
              setCreated(next);
              message.success(t('grid.handled'));
              onDone();
            } catch (e) { setError(errorText(e)); }
          }}>
            {error && <Alert type="error" title={error} />}
            <Form.Item name="result" label={t('grid.handleResult')} rules={[{ required: true, whitespace: true, message: t('field.required', { field: t('grid.handleResult') }) }]}>
              <Input.TextArea rows={3} maxLength={1000} data-testid="on-spot-result" />
            </Form.Item>
            {me.permissions.includes('attachment.upload') && (
              <Form.Item label={t('field.attachmentIds')}>
                <AttachmentPicker files={photos} setFiles={setPhotos} accept="image/jpeg,image/png,image/webp" />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block data-testid="on-spot-submit">{t('grid.handleOnSpot')}</Button>
          </Form>
        )}
        <Button block onClick={() => navigate(`/cases/${created.case.id}`)}>{t('grid.open')}</Button>
        <Button block onClick={() => { setCreated(null); setError(null); setPhotos([]); setK((x) => x + 1); }}>{t('grid.another')}</Button>
      </Space>
    } />
  );
}
