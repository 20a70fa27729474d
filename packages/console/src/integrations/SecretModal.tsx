import { Alert, Button, Modal, Typography } from 'antd';
import { useT } from '../i18n.ts';

/** A signing secret, shown once: the server keeps it encrypted and never shows it again; closed, it leaves the page. */
export function SecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const t = useT();
  return (
    <Modal open={Boolean(secret)} title={t('int.secretTitle')} destroyOnHidden onCancel={onClose}
      footer={<Button type="primary" onClick={onClose} data-testid="secret-ok">{t('common.ok')}</Button>}>
      <Typography.Paragraph copyable={{ text: secret ?? '' }} code data-testid="secret" style={{ wordBreak: 'break-all' }}>{secret}</Typography.Paragraph>
      <Alert type="info" showIcon title={t('int.secretHelp')} />
    </Modal>
  );
}
