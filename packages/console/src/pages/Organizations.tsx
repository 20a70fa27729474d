import { useEffect, useState } from 'react';
import { Button, Card, Table, Tag } from 'antd';
import type { Organization } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';

export function OrganizationsPage() {
  const t = useT();
  const [rows, setRows] = useState<Organization[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const load = async (after: string | null) => {
    const page = await api.call('listOrganizations', { query: { limit: 100, ...(after ? { cursor: after } : {}) } });
    setRows((old) => (after ? [...old, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };
  useEffect(() => { void load(null); }, []);
  return (
    <Card title={t('menu.organizations')}>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" columns={[
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('common.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`org.${k}` as MessageKey)}</Tag> },
      ]} />
      {cursor && <Button style={{ marginTop: 12 }} onClick={() => load(cursor)}>{t('common.loadMore')}</Button>}
    </Card>
  );
}
