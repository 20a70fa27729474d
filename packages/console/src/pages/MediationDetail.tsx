import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, List, Modal, Space, Table, Tag, Typography } from 'antd';
import type { Me, Mediation, MediationAction } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useMediationLabel, useT, type MessageKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { errorText, useAsync, formatTime } from '../util.ts';
import { MediationActionDialog } from '../mediation/ActionDialog.tsx';

type Party = Mediation['parties'][number];

/** The dispute page: parties (masked, revealed with a reason), team and recommendations, sessions, assessment, outcome, documents. */
export default function MediationDetailPage({ me, id }: { me: Me; id: string }) {
  const t = useT();
  const ML = useMediationLabel();
  const [m, setM] = useState<Mediation | null>(null);
  const loaded = useAsync(() => api.call('getMediation', { params: { id } }).then((x) => { setM(x); return x; }), [id]);
  const pool = useAsync(() => api.call('listMediators', { query: { limit: 500 } }).then((r) => new Map(r.items.map((x) => [x.id, x]))), [id]);
  const recs = useAsync(() => api.call('recommendMediators', { params: { id } }).then((r) => r.items), [id]);
  const [action, setAction] = useState<MediationAction | null>(null);
  const [reveal, setReveal] = useState<{ party: Party; field: 'name' | 'idNumber' | 'phone' } | null>(null);
  if (loaded.error) return <Alert type="error" title={errorText(loaded.error)} />;
  if (!m) return null;
  const name = (mid: number | null) => (mid === null ? '—' : pool.data?.get(mid)?.name ?? `#${mid}`);
  const reason = (code: string) => {
    const [k, n] = code.split(':');
    return t(`med.reason.${k}` as MessageKey, { n: n ?? '' });
  };
  const agreementUrl = (format: 'docx' | 'html') => api.url('mediationAgreement', { params: { id }, query: { format } });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}><span data-testid="mediation-number">{m.caseNumber}</span> <Tag data-testid="mediation-status" data-status={m.status}>{ML('status', m.status)}</Tag></Typography.Title>
        <Space wrap data-testid="mediation-actions">
          {m.allowedActions.map((a) => <Button key={a} type={a === 'close' ? 'default' : 'primary'} ghost={a !== 'close'} onClick={() => setAction(a as MediationAction)} data-testid={`maction-${a}`}>{t(`mact.${a}` as MessageKey)}</Button>)}
          <Button onClick={() => navigate(`/cases/${m.caseId}`)}>{t('med.openCase')}</Button>
        </Space>
      </Space>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('med.type')}>{ML('disputeType', m.disputeType)}</Descriptions.Item>
          <Descriptions.Item label={t('med.risk')}><Tag color={m.riskLevel === 'high' ? 'red' : m.riskLevel === 'medium' ? 'orange' : undefined}>{ML('risk', m.riskLevel)}</Tag></Descriptions.Item>
          <Descriptions.Item label={t('med.committee')}>{m.committee}</Descriptions.Item>
          <Descriptions.Item label={t('med.mode')}>{ML('mode', m.mode)}</Descriptions.Item>
          <Descriptions.Item label={t('med.source')}>{ML('source', m.source)}{m.sourceRef ? ` · ${m.sourceRef}` : ''}</Descriptions.Item>
          <Descriptions.Item label={t('med.amount')}>{m.amountYuan ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('med.people')}>{m.peopleInvolved}</Descriptions.Item>
          {m.status === 'applied' && <Descriptions.Item label={t('med.acceptDue')}><span data-testid="accept-due">{m.acceptDueAt ? formatTime(m.acceptDueAt) : '—'}</span></Descriptions.Item>}
          <Descriptions.Item label={t('med.due')}><span data-testid="mediation-due">{m.dueAt ? new Date(m.dueAt).toLocaleDateString() : '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('med.team')} span={2}><span data-testid="mediation-team">{m.leadMediatorId ? `${name(m.leadMediatorId)}（${t('med.lead')}）` : '—'}{m.teamIds.map((x) => `、${name(x)}`).join('')}</span></Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('med.parties')}>
        <Table<Party> rowKey="id" size="small" pagination={false} dataSource={m.parties} scroll={{ x: 'max-content' }} data-testid="parties" columns={[
          { title: t('med.partyRole'), dataIndex: 'role', render: (v: string) => ML('partyRole', v) },
          { title: t('med.name'), dataIndex: 'name', render: (v: string, p) => <Space>{v}{p.kind === 'person' && <a onClick={() => setReveal({ party: p, field: 'name' })}>{t('med.reveal')}</a>}</Space> },
          { title: t('med.idNumber'), dataIndex: 'idNumber', render: (v: string | null, p) => (v ? <Space>{v}<a onClick={() => setReveal({ party: p, field: 'idNumber' })}>{t('med.reveal')}</a></Space> : '—') },
          { title: t('med.phone'), dataIndex: 'phone', render: (v: string | null, p) => (v ? <Space>{v}<a onClick={() => setReveal({ party: p, field: 'phone' })} data-testid="reveal-phone">{t('med.reveal')}</a></Space> : '—') },
          { title: t('med.agent'), dataIndex: 'agentName', responsive: ['md'], render: (v: string | null) => v ?? '—' },
        ]} />
      </Card>
      {(m.status === 'accepted' || m.status === 'in_mediation') && (
        <Card size="small" title={t('med.recommend')}>
          <List size="small" dataSource={recs.data ?? []} data-testid="recommendations" renderItem={(r) => (
            <List.Item data-testid="recommendation">
              <List.Item.Meta title={`${r.mediator.name} · ${r.mediator.affiliation}`} description={r.reasons.map(reason).join('，')} />
              <Tag>{r.score}</Tag>
            </List.Item>
          )} />
        </Card>
      )}
      {m.assessment && (
        <Card size="small" title={t('med.assessment')} data-testid="assessment">
          <Typography.Paragraph>{t('med.participants')}：{m.assessment.participants.join('、')}</Typography.Paragraph>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{m.assessment.opinion}</Typography.Paragraph>
        </Card>
      )}
      <Card size="small" title={t('med.sessions')}>
        <Table rowKey="id" size="small" pagination={false} dataSource={m.sessions} scroll={{ x: 'max-content' }} data-testid="sessions" columns={[
          { title: t('med.time'), dataIndex: 'startsAt', render: (v: string, s) => `${formatTime(v)} – ${formatTime(s.endsAt).slice(11)}` },
          { title: t('med.room'), dataIndex: 'roomName', render: (v: string | null, s) => (s.online ? t('med.online') : v ?? '—') },
          { title: t('med.team'), dataIndex: 'mediatorIds', render: (v: number[]) => v.map(name).join('、') },
          { title: t('med.status'), dataIndex: 'status', render: (v: string) => <Tag data-testid="session-status" data-status={v}>{t(`med.session.${v}` as MessageKey)}</Tag> },
          { title: t('med.minutes'), dataIndex: 'minutes', responsive: ['md'], render: (v: string | null) => v ?? '—' },
        ]} />
      </Card>
      {(m.agreement || m.outcome) && (
        <Card size="small" title={t('med.outcome')} data-testid="outcome">
          <Typography.Paragraph><Tag color={m.agreement ? 'green' : 'default'}>{ML('outcome', m.outcome)}</Tag>{m.outcomeReason}</Typography.Paragraph>
          {m.agreement && (
            <>
              <Typography.Paragraph><b>{t('med.agreement')}</b> <span data-testid="agreement-number">{m.agreement.number}</span></Typography.Paragraph>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{m.agreement.terms}</Typography.Paragraph>
              <Space wrap>
                <Button href={agreementUrl('docx')} data-testid="agreement-docx">{t('med.downloadWord')}</Button>
                <Button href={agreementUrl('html')} target="_blank" data-testid="agreement-print">{t('med.printView')}</Button>
                <Button href={api.url('mediationFileCover', { params: { id } })} target="_blank">{t('med.fileCover')}</Button>
              </Space>
              {m.signedScan && (
                <Typography.Paragraph style={{ marginTop: 8 }} data-testid="signed-scan">
                  {t('med.signedScanFiled')}（{new Date(m.signedScan.at).toLocaleDateString()}）：
                  {m.signedScan.attachmentIds.map((a, i) => <a key={a} href={api.url('getAttachment', { params: { id: a } })} target="_blank" rel="noreferrer" style={{ marginLeft: 8 }}>{i + 1}</a>)}
                </Typography.Paragraph>
              )}
            </>
          )}
          {m.confirmation && <Typography.Paragraph style={{ marginTop: 8 }} data-testid="confirmation">{t('med.confirmation')}：{t('med.deadline')} {m.confirmation.deadline} · {m.confirmation.ruling ? t(`mfield.ruling.${m.confirmation.ruling}` as MessageKey) : '…'} {m.confirmation.rulingNo ?? ''}</Typography.Paragraph>}
          {m.referral && <Typography.Paragraph>{t('med.referral')}：{t(`mfield.to.${m.referral.to}` as MessageKey)} · {m.referral.note}</Typography.Paragraph>}
          {m.performance.map((p) => <Typography.Paragraph key={p.at}>{t('med.performance')} {new Date(p.at).toLocaleDateString()}：{t(`mfield.performed.${p.performed}` as MessageKey)} · {p.note}</Typography.Paragraph>)}
        </Card>
      )}
      {action && <MediationActionDialog action={action} m={m} onClose={() => setAction(null)} onDone={(x) => { setAction(null); setM(x); recs.reload(); }} />}
      {reveal && <RevealDialog m={m} party={reveal.party} field={reveal.field} onClose={() => setReveal(null)} />}
    </Space>
  );
}

function RevealDialog({ m, party, field, onClose }: { m: Mediation; party: Party; field: 'name' | 'idNumber' | 'phone'; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm();
  const [value, setValue] = useState<string | null | undefined>();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!v) return;
    try {
      setValue((await api.call('unmaskParty', { params: { id: m.caseId, partyId: party.id }, body: { field, reason: v.reason } })).value);
    } catch (e) { setError(errorText(e)); }
  };
  return (
    <Modal open title={t('med.reveal')} onOk={value === undefined ? submit : onClose} onCancel={onClose} okText={t('common.ok')} cancelText={t('common.cancel')}>
      {error && <Alert type="error" title={error} />}
      {value === undefined
        ? <Form form={form}><Form.Item name="reason" rules={[{ required: true, whitespace: true, message: t('user.unmaskReasonRequired') }]}><Input.TextArea maxLength={500} placeholder={t('med.revealReason')} data-testid="reveal-reason" /></Form.Item></Form>
        : <Typography.Text strong data-testid="revealed">{value ?? '—'}</Typography.Text>}
    </Modal>
  );
}
