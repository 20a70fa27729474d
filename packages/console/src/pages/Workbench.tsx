import { useEffect, useState } from 'react';
import { Badge, Button, Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { Queues, type Me, type Notification, type Queue, type QueueCounts } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useLabel, useT, type MessageKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { formatTime } from '../util.ts';

const danger: Partial<Record<Queue, string>> = { overdue: '#cf1322', due_soon: '#d48806', supervised: '#cf1322', ruling: '#d48806' };

/** The user's queues with their counts (each opens its list in one click), and the latest messages. */
export default function WorkbenchPage({ me }: { me: Me }) {
  const t = useT();
  const L = useLabel();
  const [counts, setCounts] = useState<QueueCounts | null>(null);
  const [inbox, setInbox] = useState<Notification[]>([]);
  const loadInbox = () => api.call('listNotifications', { query: { limit: 8 } }).then((r) => setInbox(r.items)).catch(() => {});
  useEffect(() => {
    api.call('caseQueues').then(setCounts).catch(() => {});
    void loadInbox();
  }, []);
  // opening a message reads it (for this user only); the case opens when it has one
  const open = async (n: Notification) => {
    if (!n.readAt) await api.call('readNotification', { params: { id: n.id } }).catch(() => {});
    if (n.caseId) navigate(`/cases/${n.caseId}`);
    else void loadInbox();
  };
  // a leader's (and a dispatcher's) own: the open cases they supervise, took on, or instructed
  const mineKinds = (['supervisedByMe', 'leaderMe', 'instructedByMe'] as const)
    .filter((k) => me.user.roles.includes('leader') || (k === 'supervisedByMe' && me.user.roles.includes('dispatcher')));
  const [mine, setMine] = useState<Partial<Record<(typeof mineKinds)[number], number>>>({});
  useEffect(() => {
    for (const k of mineKinds) {
      api.call('listCases', { query: { [k]: true, open: true, limit: 100 } }).then((r) => setMine((m) => ({ ...m, [k]: r.items.length }))).catch(() => {});
    }
  }, []);
  const readAll = async () => { await api.call('readAllNotifications').catch(() => {}); await loadInbox(); };
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('workbench.welcome', { name: me.user.displayName })}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {me.organization.name} · {me.area.name} <Tag>{t(`area.${me.area.level}` as MessageKey)}</Tag>
        {me.user.roles.map((r) => <Tag key={r}>{t(`role.${r}` as MessageKey)}</Tag>)}
      </Typography.Paragraph>
      <Row gutter={[12, 12]} data-testid="queues">
        {Queues.map((q) => (
          <Col key={q} xs={12} sm={8} md={6} xl={4}>
            <Card hoverable size="small" onClick={() => navigate(`/cases?queue=${q}`)} data-testid={`queue-${q}`}>
              <Statistic title={L('queue', q)} value={counts?.[q] ?? '–'} styles={{ content: { color: counts?.[q] ? danger[q] : undefined } }} />
            </Card>
          </Col>
        ))}
      </Row>
      {mineKinds.length > 0 && (
        <Row gutter={[12, 12]} style={{ marginTop: 12 }} data-testid="mine">
          {mineKinds.map((k) => (
            <Col key={k} xs={12} sm={8} md={6} xl={4}>
              <Card hoverable size="small" onClick={() => navigate(`/cases?${k}=true&open=true`)} data-testid={`mine-${k}`}>
                <Statistic title={t(`workbench.mine.${k}`)} value={mine[k] === undefined ? '–' : mine[k] >= 100 ? '99+' : mine[k]} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Card title={t('workbench.inbox')} size="small" style={{ marginTop: 16 }}
        extra={inbox.some((n) => !n.readAt) && <Button size="small" onClick={readAll} data-testid="inbox-read-all">{t('workbench.readAll')}</Button>}>
        <List size="small" dataSource={inbox} locale={{ emptyText: t('workbench.inboxEmpty') }} data-testid="inbox" renderItem={(n) => (
          <List.Item onClick={() => void open(n)} style={{ cursor: 'pointer' }} data-testid={n.readAt ? 'inbox-read' : 'inbox-unread'}>
            <List.Item.Meta
              title={<Badge dot={!n.readAt} offset={[6, 0]}><span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span></Badge>}
              description={`${formatTime(n.createdAt)} ${n.body}`} />
          </List.Item>
        )} />
      </Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>{t('workbench.idle', { minutes: me.sessionIdleMinutes })}</Typography.Paragraph>
    </>
  );
}
