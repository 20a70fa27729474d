import { useState } from 'react';
import { Button, Card, Space, Switch, Table } from 'antd';
import { usePagedList } from '../usePagedList.ts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';

/** The audit log of my jurisdiction; "who looked at whom": every reveal of personal data with its reason. */
export default function AuditPage() {
  const t = useT();
  const [onlyUnmask, setOnlyUnmask] = useState(false);
  const { rows, more } = usePagedList((after) => api.call('listAudit', { query: { limit: 100, ...(onlyUnmask ? { action: 'personal_data.unmask' } : {}), ...(after ? { cursor: after } : {}) } }), [onlyUnmask]);
  return (
    <Card title={t('menu.audit')} extra={<Space>{t('audit.onlyUnmask')}<Switch checked={onlyUnmask} onChange={setOnlyUnmask} data-testid="only-unmask" /></Space>}>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" data-testid="audit" columns={[
        { title: t('common.time'), dataIndex: 'at', render: (v: string) => new Date(v).toLocaleString() },
        { title: t('audit.actor'), dataIndex: 'actorName' },
        { title: t('audit.action'), dataIndex: 'action' },
        { title: t('audit.target'), render: (_, e) => (e.targetType ? `${e.targetType}:${e.targetId}` : '') },
        { title: t('audit.detail'), render: (_, e) => (e.action === 'personal_data.unmask' ? `${String(e.detail.field ?? '')} · ${String(e.detail.reason ?? '')}` : '') },
        { title: t('audit.ip'), dataIndex: 'ip' },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </Card>
  );
}
