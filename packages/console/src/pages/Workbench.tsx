import { Card, Descriptions, Tag } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { useT, type MessageKey } from '../i18n.ts';

export function WorkbenchPage({ me }: { me: Me }) {
  const t = useT();
  return (
    <Card title={t('workbench.welcome', { name: me.user.displayName })}>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('workbench.organization')}>{me.organization.name} <Tag>{t(`org.${me.organization.kind}` as MessageKey)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('workbench.area')}>{me.area.name} <Tag>{t(`area.${me.area.level}` as MessageKey)}</Tag> {me.area.code}</Descriptions.Item>
        <Descriptions.Item label={t('workbench.roles')}>{me.user.roles.map((r) => <Tag key={r}>{t(`role.${r}` as MessageKey)}</Tag>)}</Descriptions.Item>
        <Descriptions.Item label={t('workbench.permissions')}>{me.permissions.map((p) => <Tag key={p} color="blue">{p}</Tag>)}</Descriptions.Item>
      </Descriptions>
      <p style={{ marginTop: 16, color: '#888' }}>{t('workbench.idle', { minutes: me.sessionIdleMinutes })}</p>
    </Card>
  );
}
