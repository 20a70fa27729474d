import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Progress, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { DisputeTypes, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { AreaTreeSelect } from '../components.tsx';
import { useMediationLabel, useT, type MessageKey } from '../i18n.ts';
import { errorText, useAsync } from '../util.ts';

type Sweep = Awaited<ReturnType<typeof load>>[number];
const load = async () => (await api.call('listSweeps', { query: { limit: 50 } })).items;

/** 矛盾纠纷排查: a center's sweeps with their completion per grid; a grid worker answers for their grid — disputes found, or none. */
export default function SweepsPage({ me }: { me: Me }) {
  const t = useT();
  const ML = useMediationLabel();
  const sweeps = useAsync(load, []);
  const [error, setError] = useState<string | null>(null);
  const [reporting, setReporting] = useState<{ sweep: Sweep; gridId: number; disputes: boolean } | null>(null);
  const [form] = Form.useForm();
  const [rForm] = Form.useForm();
  const canManage = me.permissions.includes('sweep.manage');
  const canReport = me.permissions.includes('sweep.report');
  const create = async (v: { areaId: number; title: string; kind: 'monthly' | 'quarterly' | 'special'; dueOn: Dayjs }) => {
    setError(null);
    try {
      await api.call('createSweep', { body: { ...v, dueOn: v.dueOn.format('YYYY-MM-DD') } });
      form.resetFields();
      sweeps.reload();
    } catch (e) { setError(errorText(e)); }
  };
  const report = async () => {
    if (!reporting) return;
    const v = reporting.disputes ? await rForm.validateFields().catch(() => null) : { disputes: [] };
    if (!v) return; // the form shows what is missing
    try {
      await api.call('reportSweep', { params: { id: reporting.sweep.id }, body: { gridId: reporting.gridId, disputes: reporting.disputes ? [{ description: v.description, disputeType: v.disputeType }] : [] } });
      setReporting(null);
      rForm.resetFields();
      sweeps.reload();
    } catch (e) { setError(errorText(e)); }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="sweeps-page">
      {error && <Alert type="error" title={error} data-testid="sweep-error" />}
      {canManage && (
        <Card size="small" title={t('sweep.new')}>
          <Form form={form} layout="inline" style={{ rowGap: 8 }} onFinish={create}>
            <Form.Item name="areaId" rules={[{ required: true }]}><AreaTreeSelect me={me} placeholder={t('sweep.area')} /></Form.Item>
            <Form.Item name="title" rules={[{ required: true, whitespace: true }]}><Input placeholder={t('sweep.title')} maxLength={100} /></Form.Item>
            <Form.Item name="kind" initialValue="quarterly"><Select style={{ width: 140 }} options={(['monthly', 'quarterly', 'special'] as const).map((k) => ({ value: k, label: t(`sweep.kind.${k}` as MessageKey) }))} /></Form.Item>
            <Form.Item name="dueOn" rules={[{ required: true }]}><DatePicker placeholder={t('sweep.dueOn')} /></Form.Item>
            <Button htmlType="submit" type="primary">{t('sweep.new')}</Button>
          </Form>
        </Card>
      )}
      {(sweeps.data ?? []).map((s) => (
        <Card key={s.id} size="small" title={`${s.title} · ${s.areaName}`} extra={<Tag>{t(`sweep.kind.${s.kind}` as MessageKey)}</Tag>} data-testid="sweep">
          <Space wrap style={{ marginBottom: 8 }}>
            <Progress type="circle" size={56} percent={Math.round(s.completion * 100)} />
            <span>{t('sweep.grids')} {s.grids} · {t('sweep.reported')} {s.reported} · {t('sweep.zero')} {s.zeroReports} · {t('sweep.found')} {s.disputesFound} · {t('sweep.dueOn')} {s.dueOn}</span>
          </Space>
          <Table rowKey="gridId" size="small" pagination={{ pageSize: 10 }} dataSource={s.reports} scroll={{ x: true }} columns={[
            { title: t('sweep.grids'), dataIndex: 'gridName' },
            { title: t('sweep.report'), render: (_: unknown, r) => (r.reportedAt ? (r.zero ? <Tag>{t('sweep.zero')}</Tag> : <Tag color="orange">{t('sweep.found')} {r.caseIds.length}</Tag>) : <Tag color="red">{t('sweep.notReported')}</Tag>) },
            ...(canReport ? [{ title: t('common.actions'), render: (_: unknown, r: Sweep['reports'][number]) => (r.reportedAt ? null : (
              <Space wrap>
                <Button size="small" onClick={() => setReporting({ sweep: s, gridId: r.gridId, disputes: false })}>{t('sweep.reportZero')}</Button>
                <Button size="small" onClick={() => setReporting({ sweep: s, gridId: r.gridId, disputes: true })}>{t('sweep.reportDisputes')}</Button>
              </Space>
            )) }] : []),
          ]} />
        </Card>
      ))}
      {reporting && (
        <Modal open title={reporting.disputes ? t('sweep.reportDisputes') : t('sweep.reportZero')} onOk={report} onCancel={() => setReporting(null)} okText={t('common.ok')} cancelText={t('common.cancel')}>
          {reporting.disputes && (
            <Form form={rForm} layout="vertical">
              <Form.Item name="disputeType" label={t('med.type')} rules={[{ required: true }]}><Select options={DisputeTypes.map((d) => ({ value: d, label: ML('disputeType', d) }))} /></Form.Item>
              <Form.Item name="description" label={t('med.description')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
            </Form>
          )}
        </Modal>
      )}
    </Space>
  );
}
