import { Card, Tabs } from 'antd';
import { useT } from '../i18n.ts';
import { FeedsPanel } from '../integrations/FeedsPanel.tsx';
import { WebhooksPanel } from '../integrations/WebhooksPanel.tsx';

/** 系统对接: the platforms that send reports in, and the subscriptions Fengqiao pushes events to. */
export default function IntegrationsPage() {
  const t = useT();
  return (
    <Card title={t('menu.integrations')}>
      <Tabs items={[
        { key: 'feeds', label: t('int.feeds'), children: <FeedsPanel /> },
        { key: 'webhooks', label: t('int.webhooks'), children: <WebhooksPanel /> },
      ]} />
    </Card>
  );
}
