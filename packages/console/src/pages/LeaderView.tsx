import { Alert, Button, Card, Col, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { StatusTag } from '../components.tsx';
import { errorText, useAsync } from '../util.ts';
import { LEVEL_COLOURS, pct } from '../command/drill.ts';

/** 领导驾驶舱 on a phone: today's numbers, my 包案 and 批示 cases, red and orange warnings — one tap to the case. */
export default function LeaderViewPage({ me }: { me: Me }) {
  const t = useT();
  const today = useAsync(() => api.call('caseFigures', { query: { period: 'day' } }), []);
  const mine = useAsync(() => api.call('listCases', { query: { leaderMe: true, open: true, limit: 20 } }), []);
  const instructed = useAsync(() => api.call('listCases', { query: { instructedByMe: true, open: true, limit: 20 } }), []);
  const warnings = useAsync(() => api.call('listWarnings', { query: { status: 'active', limit: 50 } }), []);
  const urgent = (warnings.data?.items ?? []).filter((w) => w.level === 'red' || w.level === 'orange');
  const f = today.data;
  const stat = (title: string, value: React.ReactNode, href?: string, testId?: string) => (
    <Col span={12}><Card size="small" onClick={href ? () => navigate(href) : undefined} data-testid={testId}><Statistic title={title} value={value as never} /></Card></Col>
  );
  const caseList = (data: typeof mine.data, testId: string) => (
    <List size="small" dataSource={data?.items ?? []} locale={{ emptyText: t('cc.none') }} data-testid={testId} renderItem={(c) => (
      <List.Item onClick={() => navigate(`/cases/${c.id}`)} style={{ cursor: 'pointer' }}>
        <List.Item.Meta title={<Space wrap size={4}><StatusTag status={c.status} />{c.number}</Space>} description={<Typography.Text ellipsis style={{ maxWidth: 300 }}>{c.description}</Typography.Text>} />
      </List.Item>
    )} />
  );
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }} data-testid="leader-view">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('cc.leaderView')}</Typography.Title>
        <Button size="small" onClick={() => navigate('/command')}>{t('menu.command')}</Button>
      </Space>
      {today.error ? <Alert type="error" title={errorText(today.error)} /> : (
        <Row gutter={[8, 8]}>
          {stat(t('cc.today'), f?.current.counts.n ?? '…', undefined, 'leader-today')}
          {stat(t('cc.open'), f?.now.open ?? '…', '/cases?metric=open')}
          {stat(t('cc.overdue'), f?.now.overdue ?? '…', '/cases?metric=overdue')}
          {stat(t('cc.rate.satisfaction'), pct(f?.current.rates.satisfaction))}
        </Row>
      )}
      <Card size="small" title={t('cc.warnings')} style={{ marginTop: 12 }}>
        <List size="small" dataSource={urgent} locale={{ emptyText: t('cc.noWarnings') }} data-testid="leader-warnings" renderItem={(w) => (
          <List.Item onClick={() => w.caseIds[0] && navigate(`/cases/${w.caseIds[0]}`)} style={{ cursor: 'pointer' }}>
            <Space wrap size={4}><Tag color={LEVEL_COLOURS[w.level]}>{t(`cc.level.${w.level}` as MessageKey)}</Tag>{w.title}</Space>
          </List.Item>
        )} />
      </Card>
      <Card size="small" title={t('cc.myCases')} style={{ marginTop: 12 }}>{caseList(mine.data, 'leader-mine')}</Card>
      <Card size="small" title={t('cc.myInstructions')} style={{ marginTop: 12 }}>{caseList(instructed.data, 'leader-instructed')}</Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>{me.user.displayName} · {me.organization.name}</Typography.Paragraph>
    </div>
  );
}
