import { useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import type { UploadFile } from 'antd';
import { AttachmentPicker, uploadedIds } from '../pages/Intake.tsx';
import { MediationOutcomes, ReferOnTargets, type Mediation, type MediationAction } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useMediationLabel, useT, type MessageKey } from '../i18n.ts';
import { errorText, useAsync, formatTime } from '../util.ts';

type Kind = 'text' | 'longtext' | 'int' | 'time' | 'date' | 'tags' | 'bool' | 'mediator' | 'mediators' | 'room' | 'session' | 'court' | 'org' | 'enum' | 'files';
interface Field { name: string; kind: Kind; required?: boolean; options?: readonly string[]; label: MessageKey }
const F = (name: string, kind: Kind, label: MessageKey, more: Partial<Field> = {}): Field => ({ name, kind, label, ...more });

/** The fields of each action's dialog (the contract decides what is valid; the dialog only asks for it). */
const FIELDS: Record<MediationAction, Field[]> = {
  accept: [F('note', 'text', 'mfield.note')],
  decline: [F('reason', 'longtext', 'mfield.reason', { required: true })],
  assign: [F('leadMediatorId', 'mediator', 'med.lead', { required: true }), F('teamIds', 'mediators', 'med.team')],
  assess: [F('participants', 'tags', 'med.participants', { required: true }), F('opinion', 'longtext', 'med.opinion', { required: true })],
  schedule_session: [F('startsAt', 'time', 'mfield.startsAt', { required: true }), F('endsAt', 'time', 'mfield.endsAt', { required: true }), F('roomId', 'room', 'med.room'), F('online', 'bool', 'med.online')],
  record_session: [F('sessionId', 'session', 'med.sessions', { required: true }), F('attendance', 'tags', 'med.attendance'), F('minutes', 'longtext', 'med.minutes', { required: true }), F('attachmentIds', 'files', 'med.sessionFiles')],
  extend: [F('days', 'int', 'mfield.days', { required: true }), F('reason', 'longtext', 'mfield.reason', { required: true })],
  conclude: [F('outcome', 'enum', 'mfield.outcome', { required: true, options: MediationOutcomes }), F('terms', 'longtext', 'med.terms'), F('performBy', 'date', 'med.performBy'), F('reason', 'longtext', 'mfield.reason')],
  file_signed_agreement: [F('attachmentIds', 'files', 'med.signedScan', { required: true })],
  record_performance: [F('performed', 'enum', 'mfield.performed', { required: true, options: ['full', 'partial', 'none'] }), F('note', 'longtext', 'mfield.note', { required: true })],
  refer_confirmation: [F('courtOrgId', 'court', 'med.court', { required: true }), F('lateReason', 'text', 'mfield.lateReason')],
  record_ruling: [F('ruling', 'enum', 'med.ruling', { required: true, options: ['confirmed', 'rejected'] }), F('rulingNo', 'text', 'mfield.rulingNo')],
  refer_on: [F('to', 'enum', 'mfield.to', { required: true, options: ReferOnTargets }), F('organizationId', 'org', 'med.org'), F('note', 'longtext', 'mfield.note', { required: true })],
  close: [F('note', 'text', 'mfield.note')],
};

export function MediationActionDialog({ action, m, onClose, onDone }: { action: MediationAction; m: Mediation; onClose: () => void; onDone: (m: Mediation) => void }) {
  const t = useT();
  const ML = useMediationLabel();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const fields = FIELDS[action];
  const needs = (k: Kind) => fields.some((f) => f.kind === k);
  const pool = useAsync(() => (needs('mediator') ? api.call('recommendMediators', { params: { id: m.caseId } }).then((r) => r.items) : Promise.resolve([])), [action]);
  const rooms = useAsync(() => (needs('room') ? api.call('listRooms', { query: { limit: 200 } }).then((r) => r.items) : Promise.resolve([])), [action]);
  const orgs = useAsync(() => (needs('court') || needs('org') ? api.call('listOrganizations', { query: { limit: 500 } }).then((r) => r.items) : Promise.resolve([])), [action]);
  const ready = Boolean(pool.data && rooms.data && orgs.data);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!v) return;
    const fileField = fields.find((f) => f.kind === 'files');
    if (fileField?.required && !uploadedIds(files).length) { setError(t('field.required', { field: t(fileField.label) })); return; }
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { version: m.version };
      for (const f of fields) {
        if (f.kind === 'files') { if (uploadedIds(files).length) body[f.name] = uploadedIds(files); continue; }
        let x = v[f.name];
        if (x === undefined || x === null || x === '') {
          if (f.kind === 'tags') body[f.name] = []; // a list the contract always wants, empty when nothing was entered
          continue;
        }
        if (f.kind === 'time') x = (x as Dayjs).toISOString();
        if (f.kind === 'date') x = (x as Dayjs).format('YYYY-MM-DD');
        body[f.name] = typeof x === 'string' ? x.trim() : x;
      }
      onDone(await api.call(`mediation_${action}` as 'mediation_close', { params: { id: m.caseId }, body: body as never }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const input = (f: Field) => {
    const testId = `mfield-${f.name}`;
    switch (f.kind) {
      case 'longtext': return <Input.TextArea rows={3} maxLength={10000} data-testid={testId} />;
      case 'int': return <InputNumber min={1} max={90} precision={0} data-testid={testId} />;
      case 'time': return <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid={testId} />;
      case 'date': return <DatePicker data-testid={testId} />;
      case 'tags': return <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} data-testid={testId} />;
      case 'bool': return <Switch data-testid={testId} />;
      case 'enum': {
        const group = f.name === 'outcome' ? 'outcome' : null;
        return <Select options={f.options!.map((o) => ({ value: o, label: group ? ML('outcome', o) : t(`mfield.${f.name}.${o}` as MessageKey) }))} data-testid={testId} />;
      }
      case 'mediator': case 'mediators':
        return <Select mode={f.kind === 'mediators' ? 'multiple' : undefined} data-testid={testId}
          options={(pool.data ?? []).map((r) => ({ value: r.mediator.id, label: `${r.mediator.name} · ${r.mediator.affiliation} (${r.score})` }))} />;
      case 'room': return <Select allowClear options={(rooms.data ?? []).map((r) => ({ value: r.id, label: r.name }))} data-testid={testId} />;
      case 'session': return <Select options={m.sessions.filter((s) => s.status === 'scheduled').map((s) => ({ value: s.id, label: formatTime(s.startsAt) }))} data-testid={testId} />;
      case 'court': return <Select options={(orgs.data ?? []).filter((o) => o.departmentType === 'court').map((o) => ({ value: o.id, label: o.name }))} data-testid={testId} />;
      case 'org': return <Select allowClear showSearch optionFilterProp="label" options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} data-testid={testId} />;
      default: return <Input maxLength={1000} data-testid={testId} />;
    }
  };
  return (
    <Modal open title={`${t(`mact.${action}` as MessageKey)} · ${m.caseNumber}`} onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden
      okText={t(`mact.${action}` as MessageKey)} cancelText={t('common.cancel')} data-testid="mediation-dialog" okButtonProps={{ 'data-testid': 'mediation-submit' } as never}>
      <span hidden data-testid="dialog-state" data-ready={String(ready)} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="mediation-error" />}
      <Form form={form} layout="vertical" initialValues={action === 'schedule_session' ? { online: false } : {}}>
        {fields.map((f) => f.kind === 'files' ? (
          <Form.Item key={f.name} label={t(f.label)} required={f.required} data-testid={`mfield-${f.name}`}><AttachmentPicker files={files} setFiles={setFiles} /></Form.Item>
        ) : (
          <Form.Item key={f.name} name={f.name} label={t(f.label)} valuePropName={f.kind === 'bool' ? 'checked' : 'value'}
            rules={f.required ? [{ required: true, message: t('field.required', { field: t(f.label) }) }] : []}>
            {input(f)}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
