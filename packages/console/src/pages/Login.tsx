import { useContext, useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { api, ApiError } from '../api.ts';
import { I18nContext, useT } from '../i18n.ts';

export function LoginPage({ notice, onLogin }: { notice: string | null; onLogin: (me: Me) => void }) {
  const t = useT();
  const { locale, setLocale } = useContext(I18nContext);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '12vh 12px 0' }}>
      <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('app.title')} · {t('login.title')}</h1>} style={{ width: '100%', maxWidth: 380 }}
        extra={<Button type="link" onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}>{t('menu.language')}</Button>}>
        {notice && <Alert type="warning" title={notice} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" data-testid="login-form" onFinish={async (v: { username: string; password: string }) => {
          setBusy(true);
          setError(null);
          try {
            onLogin(await api.call('login', { body: v }));
          } catch (e) {
            setError(e instanceof ApiError ? e.message : String(e));
          } finally {
            setBusy(false);
          }
        }}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
        </Form>
      </Card>
    </main>
  );
}
