import { useState } from 'react';
import { Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { MediationStatuses, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useMediationLabel, useT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { useAsync, formatTime } from '../util.ts';
import { RegisterDialog } from '../mediation/RegisterDialog.tsx';

type Row = Awaited<ReturnType<typeof loadAll>>[number];
const loadAll = async () => (await api.call('listMediations', { query: { limit: 200 } })).items;
const riskColour = { low: 'default', medium: 'orange', high: 'red' } as const;

/** 调解工作台: what waits for the mediating body (to accept, in mediation, sessions this week, follow-ups, confirmations) and the list. */
export default function MediationsPage({ me }: { me: Me }) {
  const t = useT();
  const ML = useMediationLabel();
  const [status, setStatus] = useState<string | undefined>();
  const [registering, setRegistering] = useState(false);
  const all = useAsync(loadAll, []);
  const rows = all.data ?? [];
  const weekEnd = Date.now() + 7 * 86_400_000;
  const groups: { key: string; label: string; match: (r: Row) => boolean }[] = [
    { key: 'toAccept', label: t('med.toAccept'), match: (r) => r.status === 'applied' },
    { key: 'inMediation', label: t('med.inMediation'), match: (r) => r.status === 'accepted' || r.status === 'in_mediation' },
    { key: 'sessionsWeek', label: t('med.sessionsWeek'), match: (r) => Boolean(r.nextSessionAt && Date.parse(r.nextSessionAt) < weekEnd) },
    { key: 'followUps', label: t('med.followUps'), match: (r) => r.status === 'agreed' || r.status === 'partial' },
    { key: 'confirmations', label: t('med.confirmations'), match: (r) => Boolean(r.confirmationDue) },
  ];
  const shown = rows.filter((r) => !status || r.status === status);
  const canRegister = me.permissions.includes('mediation.manage');
  return (
    <>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('med.workbench')}</Typography.Title>
        {canRegister && <Button type="primary" onClick={() => setRegistering(true)} data-testid="register-dispute">{t('med.register')}</Button>}
      </Space>
      <Row gutter={[12, 12]} data-testid="mediation-queues">
        {groups.map((g) => (
          <Col key={g.key} xs={12} sm={8} lg={4}>
            <Card size="small" data-testid={`mq-${g.key}`}><Statistic title={g.label} value={all.data ? rows.filter(g.match).length : '–'} /></Card>
          </Col>
        ))}
      </Row>
      <Card size="small" style={{ marginTop: 12 }} title={t('med.all')} extra={
        <Select allowClear placeholder={t('med.status')} style={{ width: 140 }} value={status} onChange={setStatus}
          options={MediationStatuses.map((s) => ({ value: s, label: ML('status', s) }))} data-testid="mediation-status-filter" />
      }>
        <Table<Row> rowKey="caseId" size="small" dataSource={shown} loading={!all.data && !all.error} pagination={{ pageSize: 20 }} scroll={{ x: 'max-content' }}
          onRow={(r) => ({ onClick: () => navigate(`/mediations/${r.caseId}`), style: { cursor: 'pointer' } })} data-testid="mediation-list"
          columns={[
            { title: t('med.number'), dataIndex: 'caseNumber', render: (v: string) => <span data-testid="mediation-link">{v}</span> },
            { title: t('med.status'), dataIndex: 'status', render: (v: string) => <Tag data-testid="mediation-status" data-status={v}>{ML('status', v)}</Tag> },
            { title: t('med.type'), dataIndex: 'disputeType', render: (v: string) => ML('disputeType', v) },
            { title: t('med.risk'), dataIndex: 'riskLevel', render: (v: keyof typeof riskColour) => <Tag color={riskColour[v]}>{ML('risk', v)}</Tag> },
            { title: t('med.committee'), dataIndex: 'committee', responsive: ['md'] },
            { title: t('med.nextSession'), dataIndex: 'nextSessionAt', render: (v: string | null) => (v ? formatTime(v) : '—') },
            { title: t('med.due'), dataIndex: 'dueAt', responsive: ['md'], render: (v: string | null, r) => (r.confirmationDue ? `${t('med.deadline')} ${r.confirmationDue}` : v ? new Date(v).toLocaleDateString() : '—') },
          ]} />
      </Card>
      {registering && <RegisterDialog me={me} onClose={() => setRegistering(false)} onDone={(id) => { setRegistering(false); navigate(`/mediations/${id}`); }} />}
    </>
  );
}
