import { useContext, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Result, Space, TreeSelect } from 'antd';
import type { UploadFile } from 'antd';
import type { CaseDetail, Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useT } from '../i18n.ts';
import { categoryTree, useCategories } from '../data.ts';
import { navigate } from '../router.ts';
import { errorText } from '../util.ts';
import { AttachmentPicker, uploadedIds } from '../pages/Intake.tsx';
import { TriageHint, useTriage } from '../pages/intake-triage.tsx';
import { LocationPicker, type Spot } from './LocationPicker.tsx';

interface Values { categoryId: number; description: string; address?: string; peopleInvolved?: number; handled?: boolean; result?: string }
const PHOTOS = 'image/jpeg,image/png,image/webp';

/**
 * A grid worker's report from patrol, made for a phone: what was found (category, photos, description), where
 * (the phone's location, adjusted on the map), no reporter (the worker is the source), and — when it was solved
 * there and then — 已现场处理 with the result and its photo in the same form.
 */
export function PatrolForm({ me, onDone }: { me: Me; onDone: () => void }) {
  const t = useT();
  const { locale } = useContext(I18nContext);
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const [spot, setSpot] = useState<Spot | null>(null);
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  const [resultPhotos, setResultPhotos] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CaseDetail | null>(null);
  const [k, setK] = useState(0);
  const key = useMemo(() => crypto.randomUUID(), [k]); // one report, one key: a retried submit never makes a second case
  const description = Form.useWatch('description', form);
  const categoryId = Form.useWatch('categoryId', form);
  const handled = Form.useWatch('handled', form);
  const areaId = spot?.grid?.id ?? me.area.id;
  const found = useTriage(description, areaId);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    const first = found?.categories[0];
    if (!touched && first?.confident) form.setFieldsValue({ categoryId: first.id });
  }, [found, touched]);
  const canUpload = me.permissions.includes('attachment.upload');

  /** 已现场处理: the result on the case just made (retried alone when only this step failed). */
  const handleOnSpot = async (c: CaseDetail, result: string) => {
    try {
      const next = await api.call('case_handle_on_spot', { params: { id: c.case.id }, body: {
        version: c.case.version, result, ...(uploadedIds(resultPhotos).length ? { attachmentIds: uploadedIds(resultPhotos) } : {}),
      } });
      setCreated(next);
      setError(null);
    } catch (e) {
      setCreated(c);
      setError(t('patrol.handleFailed', { number: c.case.number, error: errorText(e) }));
    }
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const made = await api.call('createCase', {
        headers: { 'idempotency-key': key },
        body: {
          channel: 'grid_patrol', areaId, categoryId: v.categoryId, description: v.description.trim(),
          ...(v.peopleInvolved ? { peopleInvolved: v.peopleInvolved } : {}), ...(v.address?.trim() ? { address: v.address.trim() } : {}),
          ...(spot ? { location: { lon: spot.lon, lat: spot.lat, crs: 'wgs84' as const } } : {}),
          ...(uploadedIds(photos).length ? { attachmentIds: uploadedIds(photos) } : {}),
          ...(found?.modelVersion ? { triage: { modelVersion: found.modelVersion, suggested: found.categories.map((c) => c.id) } } : {}),
        },
      });
      const detail = { case: made.case, timeline: [], attachments: [] } as unknown as CaseDetail;
      if (v.handled && v.result?.trim()) await handleOnSpot(detail, v.result.trim());
      else setCreated(detail);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const again = () => { setCreated(null); setError(null); setSpot(null); setPhotos([]); setResultPhotos([]); form.resetFields(); setTouched(false); setK((x) => x + 1); };

  if (created) {
    const onSpot = created.case.status === 'replied' || created.case.status === 'closed';
    return (
      <Result status={error ? 'warning' : 'success'} data-testid="patrol-done" data-status={created.case.status}
        title={t(onSpot ? 'patrol.createdHandled' : 'patrol.created', { number: created.case.number })}
        subTitle={error ? <span data-testid="patrol-error">{error}</span> : undefined}
        extra={
          <Space orientation="vertical" style={{ width: '100%' }}>
            {error && <Button type="primary" block loading={busy} data-testid="patrol-retry"
              onClick={async () => { setBusy(true); await handleOnSpot(created, form.getFieldValue('result')?.trim() ?? ''); setBusy(false); }}>{t('patrol.retryHandle')}</Button>}
            <Button block onClick={() => navigate(`/cases/${created.case.id}`)} data-testid="patrol-open">{t('grid.open')}</Button>
            <Button block onClick={again} data-testid="patrol-again">{t('grid.another')}</Button>
          </Space>
        } />
    );
  }

  return (
    <Form key={k} form={form} layout="vertical" onFinish={submit} initialValues={{ peopleInvolved: 1 }} data-testid="patrol-form">
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="patrol-error" />}
      {canUpload && (
        <Form.Item label={t('patrol.photos')}><AttachmentPicker files={photos} setFiles={setPhotos} accept={PHOTOS} label={t('patrol.takePhoto')} testId="patrol-photos" /></Form.Item>
      )}
      <Form.Item name="description" label={t('patrol.description')} rules={[{ required: true, whitespace: true, min: 2, message: t('intake.descriptionRule') }]}>
        <Input.TextArea rows={3} maxLength={5000} placeholder={t('patrol.descriptionHint')} data-testid="patrol-description" />
      </Form.Item>
      <Form.Item name="categoryId" label={t('patrol.category')} rules={[{ required: true, message: t('field.choose', { field: t('patrol.category') }) }]}>
        <TreeSelect treeData={categoryTree(categories, locale, { activeOnly: true })} showSearch treeDefaultExpandAll treeNodeFilterProp="title" data-testid="patrol-category"
          placeholder={t('field.choose', { field: '' })} onChange={() => setTouched(true)} />
      </Form.Item>
      {found && <TriageHint found={found} chosen={categoryId} preselected={!touched && found.categories[0]?.confident === true && categoryId === found.categories[0]?.id}
        onPick={(id) => { form.setFieldsValue({ categoryId: id }); setTouched(true); }} />}
      <Form.Item label={t('patrol.location')}><LocationPicker value={spot} onChange={setSpot} /></Form.Item>
      <Form.Item name="address" label={t('patrol.address')}><Input maxLength={200} placeholder={t('patrol.addressHint')} data-testid="patrol-address" /></Form.Item>
      <Form.Item name="peopleInvolved" label={t('patrol.people')}><InputNumber min={1} max={100000} precision={0} inputMode="numeric" /></Form.Item>
      <Form.Item name="handled" valuePropName="checked" extra={t('patrol.handledHint')} style={{ marginBottom: handled ? 8 : undefined }}>
        <Checkbox data-testid="patrol-handled">{t('patrol.handled')}</Checkbox>
      </Form.Item>
      {handled && (
        <>
          <Form.Item name="result" label={t('patrol.result')} rules={[{ required: true, whitespace: true, message: t('field.required', { field: t('patrol.result') }) }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="patrol-result" />
          </Form.Item>
          {canUpload && <Form.Item label={t('patrol.resultPhotos')}><AttachmentPicker files={resultPhotos} setFiles={setResultPhotos} accept={PHOTOS} label={t('patrol.takePhoto')} testId="patrol-result-photos" /></Form.Item>}
        </>
      )}
      <Button type="primary" htmlType="submit" size="large" loading={busy} block data-testid="patrol-submit">{t(handled ? 'patrol.submitHandled' : 'patrol.submit')}</Button>
    </Form>
  );
}
