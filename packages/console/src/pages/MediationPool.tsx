import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { DisputeTypes, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { AreaTreeSelect } from '../components.tsx';
import { useMediationLabel, useT } from '../i18n.ts';
import { errorText, useAsync } from '../util.ts';

/** 调解专家库 and the mediation rooms: who can mediate what, where, with how much on hand; the rooms sessions book. */
export default function MediationPoolPage({ me }: { me: Me }) {
  const t = useT();
  const ML = useMediationLabel();
  const mediators = useAsync(() => api.call('listMediators', { query: { limit: 500 } }).then((r) => r.items), []);
  const rooms = useAsync(() => api.call('listRooms', { query: { limit: 500 } }).then((r) => r.items), []);
  const orgs = useAsync(() => api.call('listOrganizations', { query: { limit: 500 } }).then((r) => r.items), []);
  const [error, setError] = useState<string | null>(null);
  const [mForm] = Form.useForm();
  const [rForm] = Form.useForm();
  const canWrite = me.permissions.includes('organization.write');
  const save = async (fn: () => Promise<unknown>, reload: () => void) => {
    setError(null);
    try { await fn(); reload(); } catch (e) { setError(errorText(e)); }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      {error && <Alert type="error" title={error} />}
      <Card size="small" title={t('med.mediators')}>
        {canWrite && (
          <Form form={mForm} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={(v) => save(() => api.call('createMediator', { body: v }), () => { mForm.resetFields(); mediators.reload(); })}>
            <Form.Item name="name" rules={[{ required: true, whitespace: true }]}><Input placeholder={t('med.name')} maxLength={50} /></Form.Item>
            <Form.Item name="affiliation" rules={[{ required: true, whitespace: true }]}><Input placeholder={t('med.affiliation')} maxLength={100} /></Form.Item>
            <Form.Item name="specialties" rules={[{ required: true }]}><Select mode="multiple" style={{ minWidth: 200 }} placeholder={t('med.specialties')} options={DisputeTypes.map((d) => ({ value: d, label: ML('disputeType', d) }))} /></Form.Item>
            <Form.Item name="areaId" rules={[{ required: true }]}><AreaTreeSelect me={me} placeholder={t('med.area')} /></Form.Item>
            <Form.Item name="certificate"><Input placeholder={t('med.certificate')} maxLength={60} /></Form.Item>
            <Button htmlType="submit" type="primary">{t('med.add')}</Button>
          </Form>
        )}
        <Table rowKey="id" size="small" dataSource={mediators.data ?? []} scroll={{ x: true }} pagination={{ pageSize: 20 }} data-testid="mediator-pool" columns={[
          { title: t('med.name'), dataIndex: 'name' },
          { title: t('med.affiliation'), dataIndex: 'affiliation' },
          { title: t('med.specialties'), dataIndex: 'specialties', render: (v: string[]) => v.map((s) => <Tag key={s}>{ML('disputeType', s)}</Tag>) },
          { title: t('med.load'), dataIndex: 'load' },
          { title: t('med.outcomes'), render: (_: unknown, r) => `${r.succeeded} / ${r.concluded}` },
          { title: t('med.certificate'), dataIndex: 'certificate', responsive: ['md'], render: (v: string | null) => v ?? '—' },
        ]} />
      </Card>
      <Card size="small" title={t('med.rooms')}>
        {canWrite && (
          <Form form={rForm} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={(v) => save(() => api.call('createRoom', { body: v }), () => { rForm.resetFields(); rooms.reload(); })}>
            <Form.Item name="name" rules={[{ required: true, whitespace: true }]}><Input placeholder={t('med.room')} maxLength={60} /></Form.Item>
            <Form.Item name="organizationId" rules={[{ required: true }]}><Select showSearch optionFilterProp="label" style={{ minWidth: 220 }} placeholder={t('med.org')} options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} /></Form.Item>
            <Form.Item name="capacity"><InputNumber min={1} max={500} placeholder={t('med.capacity')} /></Form.Item>
            <Button htmlType="submit" type="primary">{t('med.add')}</Button>
          </Form>
        )}
        <Table rowKey="id" size="small" dataSource={rooms.data ?? []} pagination={false} data-testid="rooms" columns={[
          { title: t('med.room'), dataIndex: 'name' },
          { title: t('med.org'), dataIndex: 'organizationId', render: (v: number) => orgs.data?.find((o) => o.id === v)?.name ?? v },
          { title: t('med.capacity'), dataIndex: 'capacity' },
        ]} />
      </Card>
    </Space>
  );
}
