import { useContext, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Grid, Image, Input, InputNumber, Modal, Select, Space, Spin, Timeline, TreeSelect, Typography } from 'antd';
import { actionFields, type ActionField, type CaseAction, type CaseDetail, type CaseEvent, type CaseTarget, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, translate, useLabel, useT, type MessageKey } from '../i18n.ts';
import { categoryTree, useCategories, useCategoryName } from '../data.ts';
import { ClockTag, StatusTag, errorText, useAsync } from '../components.tsx';
import { navigate } from '../router.ts';
import type { UploadFile } from 'antd';
import { AttachmentPicker, uploadedIds } from './Intake.tsx';
import { CaseReports } from './duplicates.tsx';
import { formatTime, phoneFirst } from '../util.ts';

/** Actions shown as the main button, in this order; the rest follow. */
const PRIMARY: CaseAction[] = ['accept', 'dispatch', 'handle_self', 'sign_for', 'contact', 'handle_on_spot', 'reply', 'return_visit', 'close', 'rule'];

/**
 * One case: summary, reporter (masked; revealing asks for a reason and is audited), location, clocks in
 * colour, attachments, the whole timeline, and exactly the actions the server says this user may take now.
 */
export default function CaseDetailPage({ me, id }: { me: Me; id: string }) {
  const t = useT();
  const L = useLabel();
  const categoryName = useCategoryName();
  const { message } = App.useApp();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [acting, setActing] = useState<CaseAction | null>(null);
  const [master, setMaster] = useState<string | undefined>(undefined); // the merge dialog's case, when offered from the duplicates
  const [revealed, setRevealed] = useState<Record<string, string | null>>({});
  const [revealing, setRevealing] = useState<'name' | 'phone' | null>(null);
  const loaded = useAsync(() => api.call('getCase', { params: { id } }), [id]);
  const narrow = !Grid.useBreakpoint().md; // on a phone each label stands above its value
  const d = detail?.case.id === id ? detail : loaded.data;
  if (loaded.error && !d) return <Alert type="error" title={errorText(loaded.error)} />;
  if (!d) return <Spin />;
  const c = d.case;
  const actions = c.allowedActions as CaseAction[];
  const ordered = [...PRIMARY.filter((a) => actions.includes(a)), ...actions.filter((a) => !PRIMARY.includes(a))];
  const canUnmask = me.permissions.includes('personal_data.unmask');

  const reporterField = (field: 'name' | 'phone', masked: string | null) => (
    <Space>
      <span data-testid={`reporter-${field}`}>{field in revealed ? revealed[field] ?? '' : masked ?? '—'}</span>
      {canUnmask && masked && !(field in revealed) && <Button size="small" type="link" onClick={() => setRevealing(field)} data-testid={`reveal-${field}`}>{t('user.unmask')}</Button>}
    </Space>
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card title={<Space><span data-testid="case-number">{c.number}</span><StatusTag status={c.status} /></Space>}
        extra={<Button onClick={() => navigate(phoneFirst(me) ? '/grid' : '/cases')} data-testid="back-to-list">{t('case.backToList')}</Button>}>
        <Space wrap style={{ marginBottom: 12 }} data-testid="actions">
          {ordered.map((a, i) => (
            <Button key={a} type={i === 0 && PRIMARY.includes(a) ? 'primary' : 'default'} danger={['reject', 'return', 'escalate'].includes(a)}
              onClick={() => setActing(a)} data-testid={`action-${a}`}>{L('action', a)}</Button>
          ))}
          {!ordered.length && <Typography.Text type="secondary" data-testid="no-actions">{t('case.noActions')}</Typography.Text>}
        </Space>
        <Descriptions bordered={!narrow} colon={false} layout={narrow ? 'vertical' : 'horizontal'} size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('case.caseType')}>{L('caseType', c.caseType)}</Descriptions.Item>
          <Descriptions.Item label={t('case.channel')}>{L('channel', c.channel)}</Descriptions.Item>
          <Descriptions.Item label={t('case.category')}><span data-testid="case-category">{categoryName(c.category)}</span></Descriptions.Item>
          <Descriptions.Item label={t('case.tier')}><span data-testid="tier">{L('tier', c.tier) || '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('case.area')}>{c.area.name}</Descriptions.Item>
          <Descriptions.Item label={t('case.address')}>{c.address ?? '—'}{c.location ? ` (${c.location.lon.toFixed(5)}, ${c.location.lat.toFixed(5)})` : ''}</Descriptions.Item>
          <Descriptions.Item label={t('case.owningOrg')}><span data-testid="owning-org">{c.owningOrg.name}</span></Descriptions.Item>
          <Descriptions.Item label={t('case.assigneeOrg')}><span data-testid="assignee-org">{c.assigneeOrg?.name ?? '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('case.reporter')}>{c.reporter.anonymous ? t('case.anonymous') : reporterField('name', c.reporter.name)}</Descriptions.Item>
          <Descriptions.Item label={t('case.phone')}>{reporterField('phone', c.reporter.phone)}</Descriptions.Item>
          <Descriptions.Item label={t('case.peopleInvolved')}>{c.peopleInvolved}</Descriptions.Item>
          <Descriptions.Item label={t('case.createdAt')}>{formatTime(c.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('case.clocks')} span={2}>
            <Space wrap><ClockTag name="contact" clock={c.clocks.contact} /><ClockTag name="handle" clock={c.clocks.handle} /><ClockTag name="reply" clock={c.clocks.reply} /></Space>
          </Descriptions.Item>
          {c.supervision && <Descriptions.Item label={t('case.supervision')} span={2}>{L('supervision', c.supervision.level)}{c.supervision.dueAt ? ` · ${formatTime(c.supervision.dueAt)}` : ''}</Descriptions.Item>}
          {c.extensionRequest && <Descriptions.Item label={t('case.extensionRequest')} span={2}>{t('case.extensionText', { days: c.extensionRequest.workingDays, reason: c.extensionRequest.reason })}</Descriptions.Item>}
          <Descriptions.Item label={t('case.description')} span={2}><span data-testid="description">{c.description}</span></Descriptions.Item>
          {c.resultText && <Descriptions.Item label={t('case.result')} span={2}><span data-testid="result">{c.resultText}</span></Descriptions.Item>}
          {c.visitResult && <Descriptions.Item label={t('case.visitResult')} span={2}><span data-testid="visit-result">{L('visit', c.visitResult)}</span></Descriptions.Item>}
        </Descriptions>
        {d.attachments.length > 0 && (
          <Space wrap style={{ marginTop: 12 }} data-testid="attachments">
            {d.attachments.map((a) => a.contentType.startsWith('image/')
              ? <Image key={a.id} width={96} height={96} style={{ objectFit: 'cover' }} src={api.url('getAttachment', { params: { id: a.id } })} alt={a.fileName} />
              : <a key={a.id} href={api.url('getAttachment', { params: { id: a.id } })}>{a.fileName}</a>)}
          </Space>
        )}
      </Card>
      <CaseReports caseId={c.id} version={c.version} canMerge={actions.includes('merge')} onMerge={(number) => { setMaster(number); setActing('merge'); }} />
      <Card title={t('case.timeline')} size="small">
        <Timeline data-testid="timeline" items={d.timeline.map((e) => ({
          color: e.action === 'deadline_warning' ? 'red' : e.fromStatus !== e.toStatus ? 'blue' : 'gray',
          content: (
            <div data-testid="timeline-item" data-action={e.action}>
              <b>{L('action', e.action)}</b> · {actorLabel(e, t)} · {formatTime(e.at)}
              {e.fromStatus !== e.toStatus && <> · {L('status', e.fromStatus)} → {L('status', e.toStatus)}</>}
              {e.note && <div style={{ color: '#555' }}>{e.note}</div>}
            </div>
          ),
        }))} />
      </Card>
      {acting && <ActionDialog action={acting} detail={d} canUpload={me.permissions.includes('attachment.upload')} master={acting === 'merge' ? master : undefined}
        onClose={() => { setActing(null); setMaster(undefined); }} onDone={(next) => {
        setActing(null);
        setMaster(undefined);
        setDetail(next);
        message.success(t('case.done', { action: L('action', acting) }));
      }} />}
      <RevealDialog field={revealing} onClose={() => setRevealing(null)} onReveal={async (reason) => {
        const r = await api.call('unmaskCaseReporter', { params: { id }, body: { field: revealing!, reason } });
        setRevealed((old) => ({ ...old, [revealing!]: r.value }));
        setRevealing(null);
      }} />
    </Space>
  );
}

/** Who acted, for steps no member of staff took: the resident's report and rating, the deadline job. */
/** Who took a step, in words: a colleague by name; the resident (the rating in their words); the system. */
const actorLabel = (e: CaseEvent, t: ReturnType<typeof useT>) =>
  e.actor === 'staff' ? e.actorName : e.actor === 'system' ? t('timeline.system') : t(e.action === 'return_visit' ? 'timeline.rating' : 'timeline.reporter');

function RevealDialog({ field, onClose, onReveal }: { field: string | null; onClose: () => void; onReveal: (reason: string) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal open={Boolean(field)} title={t('user.unmaskTitle')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={onClose} destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields().catch(() => null); // the form shows what is missing
        if (!v) return;
        try { await onReveal(v.reason); setError(null); form.resetFields(); } catch (e) { setError(errorText(e)); }
      }}>
      {error && <Alert type="error" title={error} style={{ marginBottom: 8 }} />}
      <Form form={form}><Form.Item name="reason" rules={[{ required: true, whitespace: true, message: t('user.unmaskReasonRequired') }]}><Input.TextArea maxLength={500} placeholder={t('common.reason')} /></Form.Item></Form>
    </Modal>
  );
}

/** A dialog built from the action's contract: its fields, which are required, their limits. */
function ActionDialog({ action, detail, canUpload, master, onClose, onDone }: {
  action: CaseAction; detail: CaseDetail; canUpload: boolean; master?: string; onClose: () => void; onDone: (d: CaseDetail) => void;
}) {
  const t = useT();
  const L = useLabel();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const { locale } = useContext(I18nContext);
  const categories = useCategories();
  const fields = actionFields(action);
  const needsTargets = fields.some((f) => f.kind === 'organization');
  const targets = useAsync(() => (needsTargets ? api.call('caseTargets', { params: { id: detail.case.id } }).then((r) => r.items) : Promise.resolve([])), [action]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { version: detail.case.version };
      for (const f of fields) {
        if (f.kind === 'attachments') {
          if (uploadedIds(files).length) body[f.name] = uploadedIds(files);
          continue;
        }
        let v = values[f.name];
        if (v === undefined || v === '') continue;
        if (f.kind === 'case') {
          const found = await api.call('listCases', { query: { number: String(v).trim(), limit: 1 } });
          if (!found.items[0]) throw new Error(t('case.masterNotFound', { number: String(v) }));
          v = found.items[0].id;
        }
        body[f.name] = typeof v === 'string' ? v.trim() : v;
      }
      onDone(await api.call(`case_${action}` as 'case_accept', { params: { id: detail.case.id }, body: body as never }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  // a field named for what it is in this step: 答复内容 for a reply, 回访结果 for a visit, 督办意见 for supervision
  const fieldLabel = (name: string) => {
    const own = `field.${action}.${name}` as MessageKey;
    return translate(locale, own) !== own ? t(own) : t(`field.${name}` as MessageKey);
  };
  const input = (f: ActionField) => {
    switch (f.kind) {
      case 'enum': {
        const group = f.name === 'tier' ? 'tier' : f.name === 'level' ? 'supervision' : 'visit';
        return <Select options={f.options!.map((o) => ({ value: o, label: L(group, o) }))} data-testid={`field-${f.name}`} />;
      }
      case 'integer': return <InputNumber min={f.min} max={f.max} precision={0} style={{ width: 160 }} data-testid={`field-${f.name}`} />;
      case 'organization': return <OrgPicker items={targets.data} action={action} testId={`field-${f.name}`} />;
      case 'category': return <TreeSelect treeData={categoryTree(categories, locale, { activeOnly: true })} showSearch treeNodeFilterProp="title" data-testid={`field-${f.name}`} />;
      case 'case': return <Input placeholder={t('case.masterNumber')} data-testid={`field-${f.name}`} />;
      case 'attachments': return canUpload ? <AttachmentPicker files={files} setFiles={setFiles} /> : null;
      default: return <Input.TextArea rows={3} maxLength={f.maxLength} showCount data-testid={`field-${f.name}`} />;
    }
  };
  return (
    <Modal open title={`${L('action', action)} · ${detail.case.number}`} okText={L('action', action)} cancelText={t('common.cancel')}
      onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden data-testid="action-dialog" okButtonProps={{ 'data-testid': 'action-submit' } as never}>
      {/* for tests and assistive tools: the dialog is ready once the organisations it offers have loaded */}
      <span hidden data-testid="dialog-state" data-ready={String(!needsTargets || Boolean(targets.data))} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="action-error" />}
      <Form form={form} layout="vertical" initialValues={action === 'accept' ? { tier: detail.case.tier ?? 'general', categoryId: detail.case.category.id } : action === 'set_tier' ? { tier: detail.case.tier ?? 'general' } : master ? { masterCaseId: master } : {}}>
        {fields.map((f) => (
          <Form.Item key={f.name} name={f.kind === 'attachments' ? undefined : f.name} label={fieldLabel(f.name)} rules={f.required ? [{ required: true, type: f.kind === 'organization' || f.kind === 'integer' ? 'number' : 'string', whitespace: f.kind === 'text', message: t(f.kind === 'text' || f.kind === 'integer' || f.kind === 'case' ? 'field.required' : 'field.choose', { field: fieldLabel(f.name) }) }] : []}>
            {input(f)}
          </Form.Item>
        ))}
        {!fields.length && <Typography.Text>{t('case.confirm', { action: L('action', action) })}</Typography.Text>}
      </Form>
    </Modal>
  );
}

/** The organisation tree picker: targets grouped by area; a controlled field of the action's form. */
function OrgPicker({ items, action, testId, value, onChange }: { items: CaseTarget[] | undefined; action: CaseAction; testId: string; value?: number; onChange?: (v: number) => void }) {
  const t = useT();
  if (!items) return <Spin size="small" />;
  return (
    <TreeSelect<number> showSearch treeNodeFilterProp="title" treeDefaultExpandAll value={value} onChange={(v) => onChange?.(v)}
      treeData={targetTree(items, action, t)} data-testid={testId} />
  );
}

/** Targets grouped by area, nearest level first; sending down offers centers only. */
function targetTree(items: CaseTarget[], action: CaseAction, t: ReturnType<typeof useT>) {
  const wanted = items.filter((o) => (action === 'send_down' ? o.kind === 'center' : true));
  const groups = new Map<string, { title: string; children: { value: number; title: string }[] }>();
  for (const o of wanted) {
    const g = groups.get(o.areaPath) ?? { title: o.areaName, children: [] };
    g.children.push({ value: o.id, title: `${o.name}${o.kind !== 'center' ? '' : ` (${t('org.center')})`}` });
    groups.set(o.areaPath, g);
  }
  return [...groups.entries()].map(([path, g]) => ({ value: `area:${path}`, title: g.title, selectable: false, children: g.children }));
}
