import { useState } from 'react';
import { Alert, App, Button, Card, Col, List, Modal, Row, Select, Space, Spin, Statistic, Table, Tabs } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { errorText, useAsync } from '../util.ts';
import { StatusTag } from '../components.tsx';
import { PeopleTable } from './Registry.tsx';
import { VisitButton, useCodeLabel, useCodes } from '../registry/shared.tsx';

/** A grid's page — "四知四清": its worker, people, places, organisations and open cases, and its QR sheet. */
export default function GridPage({ me, id }: { me: Me; id: number }) {
  const t = useT();
  const codes = useCodes();
  const L = useCodeLabel();
  const { data, error, reload } = useAsync(() => api.call('gridOverview', { params: { id } }), [id]);
  if (error) return <Alert type="error" title={errorText(error)} />;
  if (!data) return <Spin style={{ width: '100%', marginTop: 48 }} />;
  const canRegistry = me.permissions.includes('registry.read');
  return (
    <Card title={<span data-testid="grid-title">{data.grid.name}{data.grid.code ? ` · ${data.grid.code}` : ''}</span>}
      extra={<Space wrap>
        <Button onClick={() => navigate(`/map?area=${id}`)}>{t('menu.map')}</Button>
        {me.permissions.includes('area.write') && me.permissions.includes('user.read') &&
          <AssignWorkers gridId={id} current={data.workers.map((w) => w.id)} onDone={reload} />}
        {canRegistry && <Button href={api.url('placeQrSheet', { query: { areaId: id } })} target="_blank" data-testid="grid-qr">{t('registry.printQr')}</Button>}
      </Space>}>
      <Row gutter={[16, 12]} style={{ marginBottom: 16 }}>
        <Col xs={12} sm={8} md={4}><Statistic title={t('grid.people')} value={data.counts.people} /></Col>
        <Col xs={12} sm={8} md={4}><Statistic title={t('grid.special')} value={data.counts.special} /></Col>
        <Col xs={12} sm={8} md={4}><Statistic title={t('grid.places')} value={data.counts.places} /></Col>
        <Col xs={12} sm={8} md={4}><Statistic title={t('grid.organizations')} value={data.counts.organizations} /></Col>
        <Col xs={12} sm={8} md={4}><Statistic title={t('grid.openCases')} value={data.counts.openCases} /></Col>
        <Col xs={12} sm={8} md={4}>
          <div style={{ color: 'rgba(0,0,0,.45)' }}>{t('grid.workers')}</div>
          <div data-testid="grid-workers">{data.workers.length ? data.workers.map((w) => `${w.name}（${w.username}）`).join('、') : t('grid.noWorker')}</div>
        </Col>
      </Row>
      <Tabs items={[
        ...(canRegistry ? [
          { key: 'people', label: t('registry.people'), children: <PeopleTable rows={data.people} me={me} onChanged={reload} /> },
          {
            key: 'places', label: t('registry.places'), children: (
              <Table rowKey="id" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={data.places} columns={[
                { title: t('registry.placeCode'), dataIndex: 'code' }, { title: t('common.name'), dataIndex: 'name' },
                { title: t('common.kind'), render: (_, p) => L(codes?.placeKinds, p.kind) }, { title: t('registry.address'), dataIndex: 'address' },
                { title: t('common.actions'), render: (_, p) => <VisitButton subjectType="place" subjectId={String(p.id)} /> },
              ]} />
            ),
          },
          {
            key: 'orgs', label: t('registry.organizations'), children: (
              <Table rowKey="id" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={data.organizations} columns={[
                { title: t('common.name'), dataIndex: 'name' }, { title: t('common.kind'), render: (_, o) => L(codes?.organizationKinds, o.kind) },
                { title: t('registry.contact'), render: (_, o) => [o.contactName, o.contactPhone].filter(Boolean).join(' · ') },
              ]} />
            ),
          },
        ] : []),
        {
          key: 'cases', label: t('grid.openCases'), children: (
            <List size="small" dataSource={data.openCases} locale={{ emptyText: t('grid.noCases') }} renderItem={(c) => (
              <List.Item onClick={() => navigate(`/cases/${c.id}`)} style={{ cursor: 'pointer' }}>
                <Space wrap><StatusTag status={c.status} /><span>{c.number}</span><span>{c.description}</span></Space>
              </List.Item>
            )} />
          ),
        },
      ]} />
    </Card>
  );
}

/** Assigns the grid's workers from the users holding the grid-worker role in the caller's jurisdiction. */
function AssignWorkers({ gridId, current, onDone }: { gridId: number; current: string[]; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>(current);
  const [saving, setSaving] = useState(false);
  const { data: candidates, error } = useAsync(
    () => (open ? api.call('listUsers', { query: { role: 'grid_worker', limit: 200 } }) : Promise.resolve(null)), [open]);
  const save = async () => {
    setSaving(true);
    try {
      await api.call('setGridWorkers', { params: { id: gridId }, body: { userIds: chosen } });
      message.success(t('registry.saved'));
      setOpen(false);
      onDone();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <Button data-testid="grid-assign" onClick={() => { setChosen(current); setOpen(true); }}>{t('grid.assignWorkers')}</Button>
      <Modal open={open} title={t('grid.assignWorkers')} okText={t('common.ok')} cancelText={t('common.cancel')}
        onCancel={() => setOpen(false)} onOk={save} confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'grid-assign-ok' } as never} destroyOnHidden>
        {error ? <Alert type="error" title={errorText(error)} /> : null}
        <Select mode="multiple" style={{ width: '100%' }} value={chosen} onChange={setChosen} loading={!candidates && !error}
          data-testid="grid-assign-select" placeholder={t('grid.chooseWorkers')} optionFilterProp="label"
          options={(candidates?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
      </Modal>
    </>
  );
}
