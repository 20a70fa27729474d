import { useEffect, useState } from 'react';
import { App, Button, Checkbox, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { WebhookEvents, DeliveryStatuses, type WebhookSubscription, type WebhookDelivery } from '@fengqiao/contracts';
import { api, ApiError } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { formatTime } from '../util.ts';
import { navigate } from '../router.ts';
import { SecretModal } from './SecretModal.tsx';

const STATUS_COLOR: Record<string, string> = { pending: 'gold', sending: 'blue', delivered: 'green', dead: 'red' };

/** Subscriptions of this jurisdiction's organisations, their delivery figures, the log and replay. */
export function WebhooksPanel() {
  const t = useT();
  const { message } = App.useApp();
  const [items, setItems] = useState<WebhookSubscription[]>([]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<WebhookSubscription | null>(null);
  const [form] = Form.useForm();
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
  const load = () => api.call('listWebhooks').then((r) => setItems(r.items)).catch(fail);
  useEffect(() => { void load(); }, []);
  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const r = await api.call('createWebhook', { body: { name: v.name, url: v.url, events: v.events } });
      setCreating(false);
      setSecret(r.secret);
      await load();
    } catch (e) { fail(e); }
  };
  const toggle = async (s: WebhookSubscription) => { await api.call('updateWebhook', { params: { id: s.id }, body: { active: !s.active } }).then(load).catch(fail); };

  return (
    <>
      <Button type="primary" onClick={() => { form.resetFields(); setCreating(true); }} style={{ marginBottom: 12 }} data-testid="webhook-new">{t('int.newWebhook')}</Button>
      <Table rowKey="id" dataSource={items} pagination={false} size="small" scroll={{ x: true }} data-testid="webhooks" columns={[
        { title: t('int.name'), dataIndex: 'name' },
        { title: t('int.organization'), render: (_, s) => s.organization.name },
        { title: t('int.url'), render: (_, s) => <Typography.Text code>{s.url}</Typography.Text> },
        { title: t('int.events'), render: (_, s) => s.events.map((e) => <Tag key={e}>{t(`int.event.${e}` as MessageKey)}</Tag>) },
        {
          title: t('int.deliveries'), render: (_, s) => (
            <Space size={4}>
              <Tag color="green">{t('int.delivered')} {s.deliveries.delivered}</Tag>
              {s.deliveries.pending > 0 && <Tag color="gold">{t('int.pending')} {s.deliveries.pending}</Tag>}
              {s.deliveries.dead > 0 && <Tag color="red">{t('int.dead')} {s.deliveries.dead}</Tag>}
            </Space>
          ),
        },
        { title: t('int.status'), render: (_, s) => (s.active ? <Tag color="green">{t('int.active')}</Tag> : <Tag>{t('int.inactive')}</Tag>) },
        {
          title: t('common.actions'), render: (_, s) => (
            <Space wrap>
              <Button size="small" onClick={() => setLogOf(s)} data-testid="webhook-log">{t('int.deliveries')}</Button>
              <Button size="small" onClick={() => toggle(s)}>{s.active ? t('int.disable') : t('int.enable')}</Button>
            </Space>
          ),
        },
      ]} />
      <Modal open={creating} title={t('int.newWebhook')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setCreating(false)} onOk={create} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ events: ['case.created', 'case.status_changed'] }}>
          <Form.Item name="name" label={t('int.name')} rules={[{ required: true, max: 100 }]}><Input data-testid="webhook-name" /></Form.Item>
          <Form.Item name="url" label={t('int.url')} rules={[{ required: true, pattern: /^https?:\/\/\S+$/ }]}><Input placeholder="https://" data-testid="webhook-url" /></Form.Item>
          <Form.Item name="events" label={t('int.events')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Checkbox.Group options={WebhookEvents.map((e) => ({ value: e, label: t(`int.event.${e}` as MessageKey) }))} />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      {logOf && <DeliveryLog subscription={logOf} onClose={() => { setLogOf(null); void load(); }} />}
    </>
  );
}

function DeliveryLog({ subscription, onClose }: { subscription: WebhookSubscription; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [status, setStatus] = useState<(typeof DeliveryStatuses)[number] | undefined>(undefined);
  const [items, setItems] = useState<WebhookDelivery[]>([]);
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
  const load = () => api.call('listWebhookDeliveries', { params: { id: subscription.id }, query: { limit: 100, ...(status ? { status } : {}) } }).then((r) => setItems(r.items)).catch(fail);
  useEffect(() => { void load(); }, [subscription.id, status]);
  const replay = async (d: WebhookDelivery) => {
    try {
      await api.call('replayWebhookDelivery', { params: { id: subscription.id, deliveryId: d.id } });
      message.success(t('int.replayed'));
      await load();
    } catch (e) { fail(e); }
  };
  return (
    <Drawer open size={1040} title={`${t('int.deliveries')} · ${subscription.name}`} onClose={onClose}>
      <Select allowClear placeholder={t('int.status')} style={{ width: 200, marginBottom: 12 }} value={status} onChange={setStatus}
        options={DeliveryStatuses.map((s) => ({ value: s, label: t(`int.dstatus.${s}` as MessageKey) }))} />
      <Table rowKey="id" dataSource={items} pagination={false} size="small" scroll={{ x: 'max-content' }} data-testid="deliveries" columns={[
        { title: '#', dataIndex: 'id' },
        { title: t('int.event'), render: (_, d) => t(`int.event.${d.event}` as MessageKey) },
        { title: t('int.case'), render: (_, d) => (d.caseId ? <a onClick={() => navigate(`/cases/${d.caseId}`)}>{String((d.payload.case as { number?: string } | undefined)?.number ?? '')}</a> : '—') },
        { title: t('int.status'), render: (_, d) => <Tag color={STATUS_COLOR[d.status]} data-testid="delivery-status">{t(`int.dstatus.${d.status}` as MessageKey)}</Tag> },
        { title: t('int.attempts'), dataIndex: 'attempts', align: 'right' },
        // the receiver's HTTP status, or why nothing came back (unreachable, a time-out, waiting for an earlier delivery)
        { title: t('int.lastAnswer'), render: (_, d) => (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : d.lastError ?? '—') },
        { title: t('int.created'), render: (_, d) => formatTime(d.createdAt) },
        { title: t('int.deliveredAt'), render: (_, d) => (d.deliveredAt ? formatTime(d.deliveredAt) : '—') },
        { title: t('common.actions'), render: (_, d) => (d.status === 'dead' || d.status === 'delivered' ? <Button size="small" onClick={() => replay(d)} data-testid="replay">{t('int.replay')}</Button> : null) },
      ]} />
    </Drawer>
  );
}
