import { useContext, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, TreeSelect, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { Channels, type Channel, type Me, type StaffIntakeResult } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useLabel, useT } from '../i18n.ts';
import { categoryTree, useCategories } from '../data.ts';
import { AreaCascader, errorText } from '../components.tsx';
import { TriageHint, useTriage } from './intake-triage.tsx';
import { DuplicateHint, useDuplicates } from './duplicates.tsx';
import { Receipt } from './receipt.tsx';
import { currentPosition } from '../geolocation.ts';

const STAFF_CHANNELS = Channels.filter((c) => !['qr_code', 'mobile_web'].includes(c));
interface Values {
  channel: Channel; area: number[]; address?: string; lon?: number; lat?: number; categoryId: number; description: string;
  peopleInvolved?: number; name?: string; phone?: string; anonymous?: boolean; acceptNow?: boolean;
}

/** Uploads each chosen photo or PDF at once (the server checks its type and size) and keeps the ids for the intake. */
export function AttachmentPicker({ files, setFiles, accept = 'image/jpeg,image/png,image/webp,application/pdf', label, testId = 'attach' }: {
  files: UploadFile[]; setFiles: (f: UploadFile[]) => void; accept?: string; label?: string; testId?: string;
}) {
  const t = useT();
  return (
    <Upload listType="picture" fileList={files} accept={accept} multiple maxCount={9} onChange={({ fileList }) => setFiles(fileList)}
      customRequest={async ({ file, onSuccess, onError }) => {
        try { onSuccess?.(await api.call('uploadAttachment', { file: file as File, fileName: (file as File).name })); } catch (e) { onError?.(new Error(errorText(e))); }
      }}>
      <Button data-testid={testId}>{label ?? t('intake.attach')}</Button>
    </Upload>
  );
}
export const uploadedIds = (files: UploadFile[]) => files.filter((f) => f.status === 'done').map((f) => (f.response as { id: string }).id);

/** Registration at the window, on the phone, or by a grid worker; says which recent cases the report looks like. */
export function IntakeForm({ me, channel, onCreated }: { me: Me; channel?: Channel; onCreated: (d: StaffIntakeResult) => void }) {
  const t = useT();
  const L = useLabel();
  const { locale } = useContext(I18nContext);
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => crypto.randomUUID(), []); // one report, one key: a retried submit never creates a second case
  const area = Form.useWatch('area', form);
  const categoryId = Form.useWatch('categoryId', form);
  const anonymous = Form.useWatch('anonymous', form);
  const description = Form.useWatch('description', form);
  const found = useTriage(description, area?.[area.length - 1]);
  // a confident suggestion fills the category until staff choose one themselves
  const [categoryTouched, setCategoryTouched] = useState(false);
  const [preselected, setPreselected] = useState(false);
  useEffect(() => {
    const first = found?.categories[0];
    if (categoryTouched || !first?.confident) return;
    form.setFieldsValue({ categoryId: first.id });
    setPreselected(true);
  }, [found, categoryTouched]);

  const address = Form.useWatch('address', form);
  const lon = Form.useWatch('lon', form);
  const lat = Form.useWatch('lat', form);
  const phone = Form.useWatch('phone', form);
  // what this report looks like among the recent cases around it (same words, reporter, spot, category)
  const similar = useDuplicates({ description, areaId: area?.[area.length - 1], categoryId, address, lon, lat, phone });

  const locate = () => currentPosition().then((p) => form.setFieldsValue(p), () => setError(t('intake.noLocation')));

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.call('createCase', {
        headers: { 'idempotency-key': key },
        body: {
          channel: channel ?? v.channel, areaId: v.area[v.area.length - 1]!, categoryId: v.categoryId, description: v.description.trim(),
          ...(v.peopleInvolved ? { peopleInvolved: v.peopleInvolved } : {}), ...(v.address?.trim() ? { address: v.address.trim() } : {}),
          ...(v.lon !== undefined && v.lat !== undefined && v.lon !== null && v.lat !== null ? { location: { lon: v.lon, lat: v.lat, crs: 'wgs84' as const } } : {}),
          ...(v.anonymous ? { anonymous: true } : (v.name?.trim() || v.phone?.trim()) ? { reporter: { ...(v.name?.trim() ? { name: v.name.trim() } : {}), ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}) } } : {}),
          ...(uploadedIds(files).length ? { attachmentIds: uploadedIds(files) } : {}),
          ...(found?.modelVersion ? { triage: { modelVersion: found.modelVersion, suggested: found.categories.map((c) => c.id) } } : {}),
        },
      });
      // 登记并受理: a report for this center is accepted in the same step, so that the receipt carries the reply date
      if (v.acceptNow && created.case.allowedActions.includes('accept')) {
        try {
          const accepted = await api.call('case_accept', { params: { id: created.case.id }, body: { version: created.case.version, tier: 'general' } });
          onCreated({ ...created, case: accepted.case });
          return;
        } catch (e) {
          setError(errorText(e)); // registered all the same: it waits in the queue to accept
        }
      }
      onCreated(created);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} initialValues={{ channel: channel ?? 'window', area: [me.area.id], peopleInvolved: 1 }} data-testid="intake-form">
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="intake-error" />}
      {!channel && (
        <Form.Item name="channel" label={t('case.channel')} rules={[{ required: true }]}>
          <Select options={STAFF_CHANNELS.map((c) => ({ value: c, label: L('channel', c) }))} data-testid="intake-channel" />
        </Form.Item>
      )}
      <Form.Item name="area" label={t('case.area')} rules={[{ required: true, message: t('field.required', { field: t('case.area') }) }]}>
        <AreaCascader me={me} testId="intake-area" />
      </Form.Item>
      <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, min: 2, message: t('intake.descriptionRule') }]}>
        <Input.TextArea rows={4} maxLength={5000} showCount data-testid="intake-description" />
      </Form.Item>
      <Form.Item name="categoryId" label={t('case.category')} rules={[{ required: true, message: t('field.required', { field: t('case.category') }) }]}>
        <TreeSelect treeData={categoryTree(categories, locale, { activeOnly: true })} showSearch treeNodeFilterProp="title" data-testid="intake-category"
          onChange={() => { setCategoryTouched(true); setPreselected(false); }} />
      </Form.Item>
      {found && <TriageHint found={found} chosen={categoryId} preselected={preselected}
        onPick={(id) => { form.setFieldsValue({ categoryId: id }); setCategoryTouched(true); setPreselected(false); }} />}
      <DuplicateHint items={similar} />
      <Form.Item name="address" label={t('case.address')}><Input maxLength={200} data-testid="intake-address" /></Form.Item>
      <Space align="end" wrap>
        <Form.Item name="lon" label={t('intake.lon')}><InputNumber min={-180} max={180} step={0.000001} style={{ width: 150 }} /></Form.Item>
        <Form.Item name="lat" label={t('intake.lat')}><InputNumber min={-90} max={90} step={0.000001} style={{ width: 150 }} /></Form.Item>
        <Form.Item><Button onClick={locate}>{t('intake.locate')}</Button></Form.Item>
      </Space>
      <Form.Item name="peopleInvolved" label={t('case.peopleInvolved')}><InputNumber min={1} max={100000} precision={0} /></Form.Item>
      <Form.Item name="anonymous" valuePropName="checked"><Checkbox>{t('intake.anonymous')}</Checkbox></Form.Item>
      {!anonymous && (
        <Space wrap>
          <Form.Item name="name" label={t('case.reporter')} rules={[{ max: 50 }]}><Input data-testid="intake-name" /></Form.Item>
          <Form.Item name="phone" label={t('case.phone')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('intake.phoneRule') }]}><Input inputMode="tel" data-testid="intake-phone" /></Form.Item>
        </Space>
      )}
      {me.permissions.includes('attachment.upload') && (
        <Form.Item label={t('intake.attachments')}><AttachmentPicker files={files} setFiles={setFiles} /></Form.Item>
      )}
      {!channel && me.user.roles.some((r) => r === 'intake' || r === 'dispatcher') && (
        <Form.Item name="acceptNow" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox data-testid="intake-accept-now">{t('intake.acceptNow')}</Checkbox>
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="intake-submit">{t('intake.submit')}</Button>
    </Form>
  );
}

export default function IntakePage({ me }: { me: Me }) {
  const t = useT();
  const { message } = App.useApp();
  const [n, setN] = useState(0);
  const [receipt, setReceipt] = useState<StaffIntakeResult | null>(null);
  return (
    <Card title={t('menu.intake')} style={{ maxWidth: 760 }}>
      <IntakeForm key={n} me={me} onCreated={(d) => { message.success(t('intake.created', { number: d.case.number })); setN((x) => x + 1); setReceipt(d); }} />
      {receipt && <Receipt result={receipt} clerk={me.user.displayName} onClose={() => setReceipt(null)} />}
    </Card>
  );
}
