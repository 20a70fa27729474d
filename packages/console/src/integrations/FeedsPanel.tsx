import { useEffect, useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { FeedKinds, DeviceKinds, type FeedSource, type FeedDevice, type User } from '@fengqiao/contracts';
import { api, ApiError } from '../api.ts';
import { useCategories } from '../data.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { formatTime } from '../util.ts';
import { navigate } from '../router.ts';
import { SecretModal } from './SecretModal.tsx';

/** Platforms that send reports in: connect one (its secret shown once), switch it off, rotate its secret, register devices. */
export function FeedsPanel() {
  const t = useT();
  const { message, modal } = App.useApp();
  const [items, setItems] = useState<FeedSource[]>([]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [devicesOf, setDevicesOf] = useState<FeedSource | null>(null);
  const [accounts, setAccounts] = useState<User[]>([]);
  const categories = useCategories();
  const leaves = categories.filter((c) => c.active && !categories.some((x) => x.parentId === c.id));
  const [form] = Form.useForm();
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
  const load = () => api.call('listFeedSources').then((r) => setItems(r.items)).catch(fail);
  useEffect(() => { void load(); }, []);

  const openCreate = async () => {
    const users = await api.call('listUsers', { query: { limit: 500 } }).catch(() => ({ items: [] as User[] }));
    setAccounts(users.items.filter((u) => u.roles.includes('integration') && !u.disabled));
    form.resetFields();
    setCreating(true);
  };
  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const r = await api.call('createFeedSource', { body: { kind: v.kind, name: v.name, userId: v.userId, ...(v.defaultCategoryId ? { defaultCategoryId: v.defaultCategoryId } : {}), ...(v.callbackUrl ? { callbackUrl: v.callbackUrl } : {}), ...(v.kind === 'iot' && v.alarmWindowMinutes ? { alarmWindowMinutes: v.alarmWindowMinutes } : {}) } });
      setCreating(false);
      setSecret(r.secret);
      await load();
    } catch (e) { fail(e); }
  };
  const toggle = async (s: FeedSource) => { await api.call('updateFeedSource', { params: { id: s.id }, body: { active: !s.active } }).then(load).catch(fail); };
  const rotate = (s: FeedSource) => modal.confirm({
    title: t('int.rotate'), content: t('int.rotateConfirm'), okText: t('common.ok'), cancelText: t('common.cancel'),
    onOk: async () => { try { setSecret((await api.call('rotateFeedSecret', { params: { id: s.id } })).secret); } catch (e) { fail(e); } },
  });
  const kind = Form.useWatch('kind', form);

  return (
    <>
      <Button type="primary" onClick={openCreate} data-testid="feed-new" style={{ marginBottom: 12 }}>{t('int.newFeed')}</Button>
      <Table rowKey="id" dataSource={items} pagination={false} size="small" scroll={{ x: true }} data-testid="feeds" columns={[
        { title: t('int.name'), dataIndex: 'name' },
        { title: t('int.kind'), render: (_, s) => t(`int.kind.${s.kind}` as MessageKey) },
        { title: t('int.account'), render: (_, s) => `${s.username} · ${s.organization.name}` },
        { title: t('int.endpoint'), render: (_, s) => <Typography.Text code copyable>{s.endpoint}</Typography.Text> },
        { title: t('int.messages'), dataIndex: 'messages', align: 'right' },
        { title: t('int.lastMessage'), render: (_, s) => (s.lastMessageAt ? formatTime(s.lastMessageAt) : '—') },
        { title: t('int.status'), render: (_, s) => (s.active ? <Tag color="green">{t('int.active')}</Tag> : <Tag>{t('int.inactive')}</Tag>) },
        {
          title: t('common.actions'), render: (_, s) => (
            <Space wrap>
              {s.kind === 'iot' && <Button size="small" onClick={() => setDevicesOf(s)}>{t('int.devices')}</Button>}
              <Button size="small" onClick={() => rotate(s)}>{t('int.rotate')}</Button>
              <Button size="small" onClick={() => toggle(s)}>{s.active ? t('int.disable') : t('int.enable')}</Button>
            </Space>
          ),
        },
      ]} />
      <Modal open={creating} title={t('int.newFeed')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setCreating(false)} onOk={create} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ kind: 'hotline', alarmWindowMinutes: 60 }}>
          <Form.Item name="kind" label={t('int.kind')} rules={[{ required: true }]}>
            <Select options={FeedKinds.map((k) => ({ value: k, label: t(`int.kind.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('int.name')} rules={[{ required: true, max: 100 }]}><Input /></Form.Item>
          <Form.Item name="userId" label={t('int.account')} rules={[{ required: true }]} extra={accounts.length ? t('int.pickAccount') : t('int.noAccount')}>
            <Select options={accounts.map((u) => ({ value: u.id, label: `${u.username} · ${u.displayName}` }))} data-testid="feed-account" />
          </Form.Item>
          {kind !== 'iot' && (
            <Form.Item name="defaultCategoryId" label={t('int.defaultCategory')}>
              <Select allowClear showSearch optionFilterProp="label" options={leaves.filter((c) => kind === 'hotline' || c.caseType === 'dispute').map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          )}
          {kind !== 'iot' && <Form.Item name="callbackUrl" label={t('int.callback')} rules={[{ pattern: /^https?:\/\/\S+$/ }]}><Input placeholder="https://" /></Form.Item>}
          {kind === 'iot' && <Form.Item name="alarmWindowMinutes" label={t('int.window')}><InputNumber min={1} max={10080} /></Form.Item>}
        </Form>
      </Modal>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      {devicesOf && <DevicesModal source={devicesOf} onClose={() => setDevicesOf(null)} />}
    </>
  );
}

function DevicesModal({ source, onClose }: { source: FeedSource; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [items, setItems] = useState<FeedDevice[]>([]);
  const [adding, setAdding] = useState(false);
  const categories = useCategories();
  const leaves = categories.filter((c) => c.active && !categories.some((x) => x.parentId === c.id));
  const [form] = Form.useForm();
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
  const load = () => api.call('listFeedDevices', { params: { id: source.id } }).then((r) => setItems(r.items)).catch(fail);
  useEffect(() => { void load(); }, [source.id]);
  const add = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await api.call('createFeedDevice', { params: { id: source.id }, body: v });
      setAdding(false);
      form.resetFields();
      await load();
    } catch (e) { fail(e); }
  };
  return (
    <Modal open width={900} title={`${t('int.devices')} · ${source.name}`} footer={null} onCancel={onClose}>
      <Button type="primary" size="small" onClick={() => setAdding(true)} style={{ marginBottom: 8 }}>{t('int.newDevice')}</Button>
      <Table rowKey="id" dataSource={items} pagination={false} size="small" scroll={{ x: true }} columns={[
        { title: t('int.deviceCode'), dataIndex: 'code' },
        { title: t('int.deviceKind'), render: (_, d) => t(`int.device.${d.kind}` as MessageKey) },
        { title: t('int.name'), dataIndex: 'name' },
        { title: t('int.place'), render: (_, d) => `${d.place.name} (${d.place.code})` },
        { title: t('int.openCase'), render: (_, d) => (d.openCaseId ? <a onClick={() => navigate(`/cases/${d.openCaseId}`)}>{t('int.case')}</a> : '—') },
        { title: t('int.alarms'), dataIndex: 'alarmCount', align: 'right' },
        { title: t('int.lastAlarm'), render: (_, d) => (d.lastAlarmAt ? formatTime(d.lastAlarmAt) : '—') },
      ]} />
      <Modal open={adding} title={t('int.newDevice')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setAdding(false)} onOk={add}>
        <Form form={form} layout="vertical" initialValues={{ kind: 'smoke' }}>
          <Form.Item name="code" label={t('int.deviceCode')} rules={[{ required: true, max: 64 }]}><Input /></Form.Item>
          <Form.Item name="kind" label={t('int.deviceKind')} rules={[{ required: true }]}>
            <Select options={DeviceKinds.map((k) => ({ value: k, label: t(`int.device.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('int.name')} rules={[{ required: true, max: 100 }]}><Input /></Form.Item>
          <Form.Item name="placeCode" label={t('int.placeCode')} rules={[{ required: true, max: 40 }]}><Input /></Form.Item>
          <Form.Item name="categoryId" label={t('int.category')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={leaves.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Modal>
  );
}
