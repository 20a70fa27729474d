import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Radio, Result, Space, Spin, Timeline, Typography } from 'antd';
import type { PublicTracking } from '@fengqiao/contracts';
import { trackingPath } from '@fengqiao/contracts/links';
import { publicApi } from './public-api.ts';
import { useLabel, useT } from '../i18n.ts';
import { errorText } from '../util.ts';
import { navigate, useLocation } from '../router.ts';

/** Following a report by its number and secret: status, public timeline, the reply, and the rating when it is due. */
export default function Track({ number, secret }: { number: string; secret: string }) {
  const t = useT();
  const L = useLabel();
  const { query } = useLocation();
  const [data, setData] = useState<PublicTracking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { publicApi.track(number, secret).then(setData).catch((e) => setError(errorText(e))); }, [number, secret]);
  if (error && !data) {
    return <div data-testid="m-track-error"><Result status="warning" title={error} extra={<Button onClick={() => navigate('/m/track')}>{t('m.lookupTitle')}</Button>} /></div>;
  }
  if (!data) return <Spin style={{ width: '100%', marginTop: 48 }} />;
  const link = `${window.location.origin}${trackingPath(number, secret)}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {query.get('new') && <Result status="success" title={t('m.received')} subTitle={<span>{t('m.number')}: <b data-testid="m-number">{data.number}</b></span>} style={{ padding: 12 }} />}
      <Card size="small" title={<span>{data.number}</span>} extra={<span data-testid="m-status" data-status={data.status}>{L('status', data.status)}</span>}>
        <div>{data.category} · {data.area}</div>
        {query.get('new') && <Typography.Paragraph copyable={{ text: link }} style={{ marginTop: 8, fontSize: 12 }} data-testid="m-track-link">{t('m.trackLink')}: {link}</Typography.Paragraph>}
        <Timeline style={{ marginTop: 12 }} items={data.timeline.map((e) => ({ content: <span data-testid="m-event">{L('action', e.action)} · {L('status', e.toStatus)} · {new Date(e.at).toLocaleString()}</span> }))} />
        {data.result && <Alert type="success" title={t('case.result')} description={<span data-testid="m-result">{data.result}</span>} />}
        {data.visitResult && <div style={{ marginTop: 8 }}>{t('case.visitResult')}: <span data-testid="m-visit">{L('visit', data.visitResult)}</span></div>}
      </Card>
      {data.canRate && (
        <Card size="small" title={t('m.rateTitle')}>
          {error && <Alert type="error" title={error} style={{ marginBottom: 8 }} />}
          <Form layout="vertical" onFinish={async (v: { result: 'satisfied' | 'basically_satisfied' | 'unsatisfied'; comment?: string }) => {
            setBusy(true);
            try { setData(await publicApi.rate(number, { secret, result: v.result, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) })); setError(null); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
          }}>
            <Form.Item name="result" rules={[{ required: true, message: t('m.rateRequired') }]}>
              <Radio.Group data-testid="m-rating" options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((r) => ({ value: r, label: L('visit', r) }))} />
            </Form.Item>
            <Form.Item name="comment"><Input.TextArea rows={2} maxLength={1000} placeholder={t('m.comment')} data-testid="m-comment" /></Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="m-rate">{t('m.rate')}</Button>
          </Form>
        </Card>
      )}
      <Button block onClick={() => navigate('/m/')}>{t('m.newReport')}</Button>
    </Space>
  );
}
