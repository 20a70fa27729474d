import { useContext, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { Tiers, type Category, type DeadlinePolicy, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useLabel, useT } from '../i18n.ts';
import { categoryTree, reloadCategories } from '../data.ts';
import { errorText, useAsync } from '../components.tsx';

/** Administration of what the case loop runs on: the category tree, deadline policies, the working-day calendar. */
export default function SettingsPage({ me }: { me: Me }) {
  const t = useT();
  return (
    <Card title={t('menu.settings')}>
      <Tabs items={[
        { key: 'categories', label: t('settings.categories'), children: <Categories /> },
        { key: 'deadlines', label: t('settings.deadlines'), children: <Deadlines /> },
        { key: 'calendar', label: t('settings.calendar'), children: <Calendar /> },
      ]} />
      <Alert type="info" title={t('settings.who', { area: me.area.name })} style={{ marginTop: 12 }} />
    </Card>
  );
}

function Categories() {
  const t = useT();
  const { message } = App.useApp();
  const { locale } = useContext(I18nContext);
  const list = useAsync(() => api.call('listCategories').then((r) => r.items), []);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const items = list.data ?? [];
  const save = async (c: Category, patch: { name?: string; nameEn?: string; active?: boolean }) => {
    try { await api.call('updateCategory', { params: { id: c.id }, body: patch }); reloadCategories(); list.reload(); } catch (e) { message.error(errorText(e)); }
  };
  const rows = items.filter((c) => c.parentId === null).map((g) => ({ ...g, children: items.filter((c) => c.parentId === g.id) }));
  return (
    <>
      <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>{t('settings.addCategory')}</Button>
      <Table rowKey="id" size="small" pagination={false} dataSource={rows} expandable={{ defaultExpandAllRows: true }} columns={[
        { title: t('common.code'), dataIndex: 'code' },
        { title: t('common.name'), render: (_, c: Category) => <Input defaultValue={c.name} variant="borderless" onBlur={(e) => e.target.value.trim() && e.target.value !== c.name && save(c, { name: e.target.value.trim() })} /> },
        { title: t('settings.nameEn'), render: (_, c: Category) => <Input defaultValue={c.nameEn} variant="borderless" onBlur={(e) => e.target.value.trim() && e.target.value !== c.nameEn && save(c, { nameEn: e.target.value.trim() })} /> },
        { title: t('settings.active'), render: (_, c: Category) => <Switch checked={c.active} onChange={(v) => save(c, { active: v })} /> },
      ]} />
      <Modal open={adding} title={t('settings.addCategory')} onCancel={() => setAdding(false)} okText={t('common.ok')} cancelText={t('common.cancel')} destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try { await api.call('createCategory', { body: v }); reloadCategories(); list.reload(); setAdding(false); form.resetFields(); } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="parentId" label={t('settings.group')} rules={[{ required: true }]}>
            <TreeSelect treeData={categoryTree(items, locale, { groupsSelectable: true }).map((g) => ({ ...g, children: [] }))} />
          </Form.Item>
          <Form.Item name="code" label={t('common.code')} rules={[{ required: true, pattern: /^[A-Z][A-Z0-9]{1,9}$/, message: t('settings.codeRule') }]}><Input /></Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 50 }]}><Input /></Form.Item>
          <Form.Item name="nameEn" label={t('settings.nameEn')} rules={[{ required: true, max: 80 }]}><Input /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

type Span = { amount: number; unit: 'hours' | 'working_days' | 'days' };
function Deadlines() {
  const t = useT();
  const L = useLabel();
  const { message } = App.useApp();
  const { locale } = useContext(I18nContext);
  const list = useAsync(() => api.call('listDeadlinePolicies').then((r) => r.items), []);
  const categories = useAsync(() => api.call('listCategories').then((r) => r.items), []);
  const [editing, setEditing] = useState<Partial<DeadlinePolicy> | null>(null);
  const [form] = Form.useForm();
  const catName = (id: number | null) => (id === null ? t('settings.any') : categories.data?.find((c) => c.id === id)?.[locale === 'zh-CN' ? 'name' : 'nameEn'] ?? id);
  const unitName = { hours: t('settings.hours'), working_days: t('settings.workingDays'), days: t('settings.days') };
  const span = (s: Span | null) => (s ? `${s.amount} ${unitName[s.unit]}` : t('settings.inherit'));
  const mediationSpanInput = (name: string) => (
    <Space.Compact>
      <Form.Item name={[name, 'amount']} noStyle><InputNumber min={1} max={365} precision={0} placeholder={t('settings.inherit')} style={{ width: 140 }} /></Form.Item>
      <Form.Item name={[name, 'unit']} noStyle><Select style={{ width: 110 }} options={[{ value: 'days', label: t('settings.days') }, { value: 'working_days', label: t('settings.workingDays') }]} /></Form.Item>
    </Space.Compact>
  );
  const orNull = (s?: { amount?: number | null; unit?: 'days' | 'working_days' }) => (s?.amount ? { amount: s.amount, unit: s.unit ?? 'days' } : null);
  const spanInput = (name: string) => (
    <Space.Compact>
      <Form.Item name={[name, 'amount']} noStyle rules={[{ required: true }]}><InputNumber min={1} max={720} precision={0} /></Form.Item>
      <Form.Item name={[name, 'unit']} noStyle><Select style={{ width: 110 }} options={[{ value: 'hours', label: t('settings.hours') }, { value: 'working_days', label: t('settings.workingDays') }]} /></Form.Item>
    </Space.Compact>
  );
  return (
    <>
      <Alert type="info" title={t('settings.rule131')} description={t('settings.mediationRule')} style={{ marginBottom: 12 }} />
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => { form.setFieldsValue({ categoryId: null, tier: null, contact: { amount: 1, unit: 'hours' }, handle: { amount: 3, unit: 'working_days' }, reply: { amount: 1, unit: 'working_days' }, mediationAccept: { unit: 'working_days' }, mediation: { unit: 'days' } }); setEditing({}); }}>{t('settings.addPolicy')}</Button>
      <Table rowKey="id" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={list.data ?? []} columns={[
        { title: t('case.category'), render: (_, p: DeadlinePolicy) => catName(p.categoryId) },
        { title: t('case.tier'), render: (_, p: DeadlinePolicy) => (p.tier ? L('tier', p.tier) : t('settings.any')) },
        { title: L('clock', 'contact'), render: (_, p: DeadlinePolicy) => span(p.contact) },
        { title: L('clock', 'handle'), render: (_, p: DeadlinePolicy) => span(p.handle) },
        { title: L('clock', 'reply'), render: (_, p: DeadlinePolicy) => span(p.reply) },
        { title: t('settings.mediationAccept'), render: (_, p: DeadlinePolicy) => span(p.mediationAccept) },
        { title: t('settings.mediation'), render: (_, p: DeadlinePolicy) => span(p.mediation) },
        { title: t('common.actions'), render: (_, p: DeadlinePolicy) => (
          <Space>
            <a onClick={() => { form.setFieldsValue({ ...p, mediationAccept: p.mediationAccept ?? { unit: 'working_days' }, mediation: p.mediation ?? { unit: 'days' } }); setEditing(p); }}>{t('common.edit')}</a>
            <Popconfirm title={t('common.confirmDelete')} onConfirm={async () => { try { await api.call('deleteDeadlinePolicy', { params: { id: p.id } }); list.reload(); } catch (e) { message.error(errorText(e)); } }}><a>{t('common.delete')}</a></Popconfirm>
          </Space>
        ) },
      ]} />
      <Modal open={Boolean(editing)} title={t('settings.policy')} onCancel={() => setEditing(null)} okText={t('common.ok')} cancelText={t('common.cancel')}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try {
            await api.call('putDeadlinePolicy', { body: { categoryId: v.categoryId ?? null, tier: v.tier ?? null, contact: v.contact, handle: v.handle, reply: v.reply, mediationAccept: orNull(v.mediationAccept), mediation: orNull(v.mediation) } });
            list.reload(); setEditing(null);
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="categoryId" label={t('case.category')}>
            <TreeSelect allowClear placeholder={t('settings.any')} treeData={categoryTree(categories.data ?? [], locale, { groupsSelectable: true })} />
          </Form.Item>
          <Form.Item name="tier" label={t('case.tier')}><Select allowClear placeholder={t('settings.any')} options={Tiers.map((x) => ({ value: x, label: L('tier', x) }))} /></Form.Item>
          <Form.Item label={L('clock', 'contact')}>{spanInput('contact')}</Form.Item>
          <Form.Item label={L('clock', 'handle')}>{spanInput('handle')}</Form.Item>
          <Form.Item label={L('clock', 'reply')}>{spanInput('reply')}</Form.Item>
          <Form.Item label={t('settings.mediationAccept')}>{mediationSpanInput('mediationAccept')}</Form.Item>
          <Form.Item label={t('settings.mediation')}>{mediationSpanInput('mediation')}</Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Calendar() {
  const t = useT();
  const { message } = App.useApp();
  const [year, setYear] = useState(new Date().getFullYear());
  const list = useAsync(() => api.call('listCalendarDays', { query: { from: `${year}-01-01`, to: `${year}-12-31` } }).then((r) => r.items), [year]);
  const [form] = Form.useForm();
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} />
        <Form form={form} layout="inline" onFinish={async (v: { day: dayjs.Dayjs; kind: 'holiday' | 'workday'; name: string }) => {
          try { await api.call('putCalendarDay', { params: { day: v.day.format('YYYY-MM-DD') }, body: { kind: v.kind, name: v.name.trim() } }); list.reload(); form.resetFields(); } catch (e) { message.error(errorText(e)); }
        }}>
          <Form.Item name="day" rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="kind" initialValue="holiday"><Select style={{ width: 120 }} options={[{ value: 'holiday', label: t('settings.holiday') }, { value: 'workday', label: t('settings.workday') }]} /></Form.Item>
          <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 50 }]}><Input placeholder={t('common.name')} /></Form.Item>
          <Button htmlType="submit" type="primary">{t('settings.setDay')}</Button>
        </Form>
      </Space>
      <Table rowKey="day" size="small" pagination={false} dataSource={list.data ?? []} columns={[
        { title: t('settings.day'), dataIndex: 'day' },
        { title: t('common.kind'), render: (_, d) => (d.kind === 'holiday' ? <Tag color="red">{t('settings.holiday')}</Tag> : <Tag color="blue">{t('settings.workday')}</Tag>) },
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('settings.source'), dataIndex: 'source' },
        { title: t('common.actions'), render: (_, d) => <Popconfirm title={t('common.confirmDelete')} onConfirm={async () => { try { await api.call('deleteCalendarDay', { params: { day: d.day } }); list.reload(); } catch (e) { message.error(errorText(e)); } }}><a>{t('settings.resetDay')}</a></Popconfirm> },
      ]} />
    </>
  );
}
