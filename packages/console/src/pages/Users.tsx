import { useState } from 'react';
import { App, Button, Card, Input, Modal, Table, Tag } from 'antd';
import type { Me, User } from '@fengqiao/contracts';
import { usePagedList } from '../usePagedList.ts';
import { api, ApiError } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';

/** Staff accounts, personal data masked; revealing a field asks for a reason and is audited. */
export default function UsersPage({ me }: { me: Me }) {
  const t = useT();
  const { message } = App.useApp();
  const [revealing, setRevealing] = useState<{ user: User; field: 'phone' | 'displayName' } | null>(null);
  const [reason, setReason] = useState('');
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const canUnmask = me.permissions.includes('personal_data.unmask');

  const { rows, more } = usePagedList((after) => api.call('listUsers', { query: { limit: 100, ...(after ? { cursor: after } : {}) } }));

  const field = (u: User, f: 'phone' | 'displayName', masked: string | null) => (
    <span>
      {revealed[`${u.id}.${f}`] ?? masked}
      {canUnmask && masked?.includes('*') && !revealed[`${u.id}.${f}`] && (
        <Button type="link" size="small" onClick={() => { setReason(''); setRevealing({ user: u, field: f }); }}>{t('user.unmask')}</Button>
      )}
    </span>
  );

  return (
    <Card title={t('menu.users')}>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" columns={[
        { title: t('user.username'), dataIndex: 'username' },
        { title: t('user.displayName'), dataIndex: 'displayName' },
        { title: t('user.phone'), render: (_, u) => field(u, 'phone', u.phone) },
        { title: t('user.roles'), render: (_, u) => u.roles.map((r) => <Tag key={r}>{t(`role.${r}` as MessageKey)}</Tag>) },
        { title: t('user.status'), render: (_, u) => (u.disabled ? <Tag>{t('user.disabled')}</Tag> : u.locked ? <Tag color="red">{t('user.locked')}</Tag> : <Tag color="green">{t('user.active')}</Tag>) },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
      <Modal open={Boolean(revealing)} title={t('user.unmaskTitle')} okText={t('common.ok')} cancelText={t('common.cancel')}
        onCancel={() => setRevealing(null)}
        onOk={async () => {
          if (!revealing) return;
          if (!reason.trim()) { message.error(t('user.unmaskReasonRequired')); return; }
          try {
            const r = await api.call('unmaskUser', { params: { id: revealing.user.id }, body: { field: revealing.field, reason } });
            setRevealed((old) => ({ ...old, [`${revealing.user.id}.${revealing.field}`]: r.value ?? '' }));
            setRevealing(null);
          } catch (e) {
            message.error(e instanceof ApiError ? e.message : String(e));
          }
        }}>
        <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('common.reason')} maxLength={500} />
      </Modal>
    </Card>
  );
}
