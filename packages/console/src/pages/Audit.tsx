import { Button, Card, Table } from 'antd';
import { usePagedList } from '../usePagedList.ts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';

type Entry = Awaited<ReturnType<typeof api.call<'listAudit'>>>['items'][number];

export default function AuditPage() {
  const t = useT();
  const { rows, more } = usePagedList((after) => api.call('listAudit', { query: { limit: 100, ...(after ? { cursor: after } : {}) } }));
  return (
    <Card title={t('menu.audit')}>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" columns={[
        { title: t('common.time'), dataIndex: 'at', render: (v: string) => new Date(v).toLocaleString() },
        { title: t('audit.actor'), dataIndex: 'actorName' },
        { title: t('audit.action'), dataIndex: 'action' },
        { title: t('audit.target'), render: (_, e) => (e.targetType ? `${e.targetType}:${e.targetId}` : '') },
        { title: t('audit.ip'), dataIndex: 'ip' },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </Card>
  );
}
