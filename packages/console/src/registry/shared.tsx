import { useContext, useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Switch, Tag } from 'antd';
import type { CodeTables, Person } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useT } from '../i18n.ts';
import { errorText, useAsync } from '../util.ts';

type Item = { code: string; zh: string; en: string };
let codesPromise: Promise<CodeTables> | null = null;
/** The registry's code tables (a versioned data file on the server), loaded once. */
export function useCodes() {
  codesPromise ??= api.call('registryCodes').catch((e) => { codesPromise = null; throw e; });
  return useAsync(() => codesPromise!, []).data;
}
export function useCodeLabel() {
  const { locale } = useContext(I18nContext);
  return (items: Item[] | undefined, code: string | null | undefined) => {
    if (!code) return '';
    const it = items?.find((i) => i.code === code);
    return it ? (locale === 'zh-CN' ? it.zh : it.en) : code;
  };
}
export function useCodeOptions() {
  const { locale } = useContext(I18nContext);
  return (items: Item[] | undefined) => (items ?? []).map((i) => ({ value: i.code, label: locale === 'zh-CN' ? i.zh : i.en }));
}

const attentionColor: Record<string, string> = { high: 'red', medium: 'orange', low: 'blue' };
export function GroupTags({ person, codes }: { person: Person; codes: CodeTables | undefined }) {
  const L = useCodeLabel();
  return <>{person.groups.map((g) => (
    <Tag key={g.kind} color={attentionColor[g.attentionLevel]} data-testid={`group-${g.kind}`}>
      {L(codes?.groups, g.kind)} · {L(codes?.attentionLevels, g.attentionLevel)}
    </Tag>
  ))}</>;
}

/** A masked personal field with a "reveal" link: asks for a reason, shows the value once, audited by the server. */
export function RevealField({ personId, field, masked, canUnmask }: { personId: string; field: 'name' | 'idNumber' | 'phone' | 'address'; masked: string | null; canUnmask: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [value, setValue] = useState<string | null>(null);
  if (value !== null) return <span data-testid={`revealed-${field}`}>{value}</span>;
  return (
    <span>
      {masked ?? (field === 'address' ? '' : '—')}
      {canUnmask && (masked || field === 'address') && <Button type="link" size="small" onClick={() => { setReason(''); setOpen(true); }} data-testid={`reveal-${field}`}>{t('user.unmask')}</Button>}
      <Modal open={open} title={t('user.unmaskTitle')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setOpen(false)}
        onOk={async () => {
          if (!reason.trim()) { message.error(t('user.unmaskReasonRequired')); return; }
          try {
            const r = await api.call('unmaskPerson', { params: { id: personId }, body: { field, reason } });
            setValue(r.value ?? '');
            setOpen(false);
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('common.reason')} maxLength={200} data-testid="reveal-reason" />
      </Modal>
    </span>
  );
}

/** Records a visit or follow-up (走访记录) on a person, place or organisation. */
export function VisitButton({ subjectType, subjectId, onDone }: { subjectType: 'person' | 'place' | 'organization'; subjectId: string; onDone?: () => void }) {
  const t = useT();
  const codes = useCodes();
  const options = useCodeOptions();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ kind: string; note: string }>();
  return (
    <>
      <Button size="small" onClick={() => { form.resetFields(); setOpen(true); }} data-testid="visit">{t('registry.visit')}</Button>
      <Modal open={open} title={t('registry.visit')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setOpen(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try {
            await api.call('createVisit', { body: { subjectType, subjectId, kind: v.kind, note: v.note } });
            message.success(t('registry.saved'));
            setOpen(false);
            onDone?.();
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical" initialValues={{ kind: subjectType === 'person' ? 'visit' : 'inspection' }}>
          <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true }]}><Select options={options(codes?.visitKinds)} /></Form.Item>
          <Form.Item name="note" label={t('registry.note')} rules={[{ required: true, message: t('registry.required') }]}><Input.TextArea maxLength={2000} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** Inputs for the extra fields a code table defines for a kind (a group's follow-up fields, a school's pupils …). */
export function KindFields({ fields, prefix }: { fields: CodeTables['groups'][number]['fields']; prefix: string }) {
  const { locale } = useContext(I18nContext);
  const t = useT();
  const options = useCodeOptions();
  return <>{fields.map((f) => (
    <Form.Item key={f.key} name={[prefix, f.key]} label={locale === 'zh-CN' ? f.zh : f.en} valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
      rules={f.required ? [{ required: true, message: t('registry.required') }] : []}>
      {f.options ? <Select options={options(f.options)} allowClear />
        : f.type === 'date' ? <DatePicker />
          : f.type === 'boolean' ? <Switch />
            : f.type === 'integer' || f.type === 'number' ? <InputNumber min={0} style={{ width: '100%' }} />
              : <Input maxLength={500} />}
    </Form.Item>
  ))}</>;
}

/** Form values of KindFields → the API's attributes (dates as YYYY-MM-DD, empty ones left out). */
export function kindValues(values: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = typeof v === 'object' && v !== null && 'format' in v ? (v as { format(f: string): string }).format('YYYY-MM-DD') : v;
  }
  return out;
}
