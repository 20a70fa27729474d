import { Button, Card, Form, Input, List, Typography } from 'antd';
import { useT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { normalizeTrackingCode, trackingPath } from '@fengqiao/contracts/links';
import { myReports } from './my-reports.ts';

const open = (number: string, secret: string) => navigate(trackingPath(number.trim(), normalizeTrackingCode(secret)));

/**
 * Finding one's report again: by the case number and tracking code of a receipt or a text, or from the list
 * of reports made on this phone.
 */
export default function Lookup() {
  const t = useT();
  const mine = myReports();
  return (
    <Card title={t('m.lookupTitle')} size="small">
      <Form layout="vertical" onFinish={(v: { number: string; secret: string }) => open(v.number, v.secret)} data-testid="m-lookup">
        <Form.Item name="number" label={t('m.number')} rules={[{ required: true, whitespace: true, message: t('field.required', { field: t('m.number') }) }]}>
          <Input maxLength={40} autoComplete="off" data-testid="m-lookup-number" />
        </Form.Item>
        <Form.Item name="secret" label={t('m.trackingCode')} extra={t('m.codeHelp')} rules={[{ required: true, whitespace: true, message: t('field.required', { field: t('m.trackingCode') }) }]}>
          <Input maxLength={100} autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder="K7QM3-XRDPA" data-testid="m-lookup-secret" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block data-testid="m-lookup-submit">{t('m.lookup')}</Button>
      </Form>
      {mine.length > 0 && (
        <List size="small" header={<Typography.Text strong>{t('m.myReports')}</Typography.Text>} style={{ marginTop: 16 }} dataSource={mine}
          renderItem={(r) => <List.Item><a onClick={() => open(r.number, r.secret)} data-testid="m-my-report">{r.number}</a></List.Item>} />
      )}
      <Button type="link" onClick={() => navigate('/m/')} style={{ paddingLeft: 0, marginTop: 8 }}>{t('m.newReport')}</Button>
    </Card>
  );
}
