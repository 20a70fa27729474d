import { Button, Card, Table, Tag } from 'antd';
import type { Organization } from '@fengqiao/contracts';
import { usePagedList } from '../usePagedList.ts';
import { api } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';

export default function OrganizationsPage() {
  const t = useT();
  const { rows, more } = usePagedList((after) => api.call('listOrganizations', { query: { limit: 100, ...(after ? { cursor: after } : {}) } }));
  return (
    <Card title={t('menu.organizations')}>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" columns={[
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('common.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`org.${k}` as MessageKey)}</Tag> },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </Card>
  );
}
