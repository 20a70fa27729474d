import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Radio, Result, Space, Spin, Timeline, Typography } from 'antd';
import type { PublicTracking } from '@fengqiao/contracts';
import { formatTrackingCode, normalizeTrackingCode, trackingPath } from '@fengqiao/contracts/links';
import { receiptImage } from './receipt-image.ts';
import { publicApi, resultPhotoUrl } from './public-api.ts';
import { useLabel, useT, type MessageKey } from '../i18n.ts';
import { errorText, formatTime } from '../util.ts';
import { navigate, useLocation } from '../router.ts';

/** Following a report by its number and secret: status, public timeline, the reply, and the rating when it is due. */
export default function Track({ number, secret }: { number: string; secret: string }) {
  const t = useT();
  const L = useLabel();
  const { query } = useLocation();
  const [data, setData] = useState<PublicTracking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [picture, setPicture] = useState<string | null>(null);
  useEffect(() => { publicApi.track(number, secret).then(setData).catch((e) => setError(errorText(e))); }, [number, secret]);
  if (error && !data) {
    return (
      <div data-testid="m-track-error">
        <Result status="warning" title={error} subTitle={<span data-testid="m-wrong-code">{t('m.wrongCode')}</span>}
          extra={<Button onClick={() => navigate('/m/track')}>{t('m.lookupTitle')}</Button>} />
      </div>
    );
  }
  if (!data) return <Spin style={{ width: '100%', marginTop: 48 }} />;
  const link = `${window.location.origin}${trackingPath(number, secret)}`;
  const code = formatTrackingCode(normalizeTrackingCode(secret));
  const save = () => setPicture(receiptImage({
    title: t('m.receiptTitle'), code: [t('m.trackingCode'), code], hint: `${t('m.receiptHint')}${window.location.origin}/m/track`,
    lines: [[t('m.number'), data.number], [t('case.category'), data.category], [t('m.area'), data.area], [t('m.receiptAt'), formatTime(data.createdAt)]],
  }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {query.get('new') && <Result status="success" title={t('m.received')} subTitle={<span>{t('m.number')}{t('common.colon')}<b data-testid="m-number">{data.number}</b></span>} style={{ padding: 12 }} />}
      <Card size="small" title={<span>{data.number}</span>} extra={<span data-testid="m-status" data-status={data.status} />}>
        <div style={{ fontSize: 16, fontWeight: 600, marginBottom: 4 }} data-testid="m-now">{t(`m.now.${data.status}` as MessageKey, { org: data.handler })}</div>
        <div>{data.category} · {data.area}</div>
        {query.get('new') && (
          <div style={{ marginTop: 12, padding: 12, background: '#fafafa', borderRadius: 6 }}>
            <div style={{ color: '#666', fontSize: 13 }}>{t('m.codeTitle')}</div>
            <Typography.Text copyable={{ text: code }} style={{ fontSize: 26, fontWeight: 600, fontFamily: 'ui-monospace, monospace', letterSpacing: 1 }} data-testid="m-code">{code}</Typography.Text>
            <div style={{ color: '#666', fontSize: 12, marginTop: 4 }}>{t('m.codeHelp')}</div>
            <Button size="small" style={{ marginTop: 8 }} onClick={save} data-testid="m-save-image">{t('m.saveImage')}</Button>
            {picture && (
              <div style={{ marginTop: 8 }}>
                <img src={picture} alt={t('m.receiptTitle')} style={{ width: '100%', border: '1px solid #f0f0f0' }} data-testid="m-receipt-image" />
                <a href={picture} download={`${data.number}.png`} style={{ fontSize: 12 }}>{t('m.imageHint')}</a>
              </div>
            )}
            <Typography.Paragraph copyable={{ text: link }} style={{ marginTop: 8, marginBottom: 0, fontSize: 12, wordBreak: 'break-all' }} data-testid="m-track-link">{t('m.trackLink')}{t('common.colon')}{link}</Typography.Paragraph>
          </div>
        )}
        <Timeline style={{ marginTop: 12 }} items={data.timeline.map((e) => ({ content: <span data-testid="m-event">{t((e.action === 'return_visit' && e.toStatus === 'in_progress' ? 'm.step.reopened' : `m.step.${e.toStatus}`) as MessageKey)} · {formatTime(e.at)}</span> }))} />
        {data.result && <Alert type="success" title={t('case.result')} description={<>
          <span data-testid="m-result">{data.result}</span>
          {data.resultPhotos.length > 0 && (
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }} data-testid="m-result-photos">
              {data.resultPhotos.map((id, i) => (
                <a key={id} href={resultPhotoUrl(data.number, secret, id)} target="_blank" rel="noreferrer">
                  <img src={resultPhotoUrl(data.number, secret, id)} alt={t('m.resultPhoto', { n: i + 1 })} loading="lazy"
                    style={{ width: 88, height: 88, objectFit: 'cover', borderRadius: 4, border: '1px solid #f0f0f0' }} />
                </a>
              ))}
            </div>
          )}
        </>} />}
        {data.visitResult && <div style={{ marginTop: 8 }}>{t('case.visitResult')}{t('common.colon')}<span data-testid="m-visit">{L('visit', data.visitResult)}</span></div>}
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
