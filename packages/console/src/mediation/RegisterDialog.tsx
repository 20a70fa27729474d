import { useContext, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Space, TreeSelect } from 'antd';
import { DisputeTypes, MediationSources, PartyRoles, RiskLevels, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { AreaTreeSelect } from '../components.tsx';
import { categoryTree, useCategories } from '../data.ts';
import { I18nContext, useMediationLabel, useT } from '../i18n.ts';
import { errorText } from '../util.ts';

/** 登记纠纷: an application at the window or a referral in, with its parties; the actor's organisation mediates. */
export function RegisterDialog({ me, onClose, onDone }: { me: Me; onClose: () => void; onDone: (caseId: string) => void }) {
  const t = useT();
  const ML = useMediationLabel();
  const { locale } = useContext(I18nContext);
  const [form] = Form.useForm();
  const categories = useCategories();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const parties = (v.parties as Record<string, string>[]).map((p) => Object.fromEntries(Object.entries(p).filter(([, x]) => x !== undefined && x !== '')));
      const created = await api.call('createMediation', { body: { ...v, parties } as never });
      onDone(created.caseId);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const options = <T extends string>(values: readonly T[], group: Parameters<typeof ML>[0]) => values.map((x) => ({ value: x, label: ML(group, x) }));
  return (
    <Modal open title={t('med.register')} onOk={submit} confirmLoading={busy} onCancel={onClose} width={760} okText={t('common.ok')} cancelText={t('common.cancel')} data-testid="register-dialog">
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="register-error" />}
      <Form form={form} layout="vertical" initialValues={{ source: 'application', riskLevel: 'low', parties: [{ role: 'applicant', kind: 'person' }, { role: 'respondent', kind: 'person' }] }}>
        <Space wrap>
          <Form.Item name="areaId" label={t('med.area')} rules={[{ required: true }]}><AreaTreeSelect me={me} testId="reg-area" /></Form.Item>
          <Form.Item name="categoryId" label={t('med.category')} rules={[{ required: true }]}>
            <TreeSelect style={{ width: 220 }} treeDefaultExpandAll treeData={categoryTree(categories.filter((c) => c.caseType === 'dispute'), locale, { activeOnly: true })} data-testid="reg-category" />
          </Form.Item>
          <Form.Item name="disputeType" label={t('med.type')} rules={[{ required: true }]}><Select style={{ width: 180 }} options={options(DisputeTypes, 'disputeType')} data-testid="reg-type" /></Form.Item>
          <Form.Item name="source" label={t('med.source')}><Select style={{ width: 180 }} options={options(MediationSources, 'source')} /></Form.Item>
          <Form.Item name="sourceRef" label={t('med.sourceRef')}><Input maxLength={60} /></Form.Item>
          <Form.Item name="riskLevel" label={t('med.risk')}><Select style={{ width: 120 }} options={options(RiskLevels, 'risk')} /></Form.Item>
          <Form.Item name="amountYuan" label={t('med.amount')}><InputNumber min={0} style={{ width: 160 }} /></Form.Item>
          <Form.Item name="peopleInvolved" label={t('med.people')}><InputNumber min={1} precision={0} /></Form.Item>
        </Space>
        <Form.Item name="description" label={t('med.description')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={4000} data-testid="reg-description" /></Form.Item>
        <Form.List name="parties">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Card key={f.key} size="small" style={{ marginBottom: 8 }} extra={fields.length > 2 ? <Button size="small" onClick={() => remove(f.name)}>×</Button> : null}>
                  <Space wrap>
                    <Form.Item name={[f.name, 'role']} label={t('med.partyRole')}><Select style={{ width: 110 }} options={options(PartyRoles, 'partyRole')} data-testid={`party-role-${f.name}`} /></Form.Item>
                    <Form.Item name={[f.name, 'kind']} label={t('med.partyKind')}><Select style={{ width: 130 }} options={[{ value: 'person', label: t('med.person') }, { value: 'organization', label: t('med.organization') }]} data-testid={`party-kind-${f.name}`} /></Form.Item>
                    <Form.Item name={[f.name, 'name']} label={t('med.name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} data-testid={`party-name-${f.name}`} /></Form.Item>
                    <Form.Item name={[f.name, 'idNumber']} label={t('med.idNumber')}><Input maxLength={30} data-testid={`party-id-${f.name}`} /></Form.Item>
                    <Form.Item name={[f.name, 'phone']} label={t('med.phone')}><Input maxLength={20} data-testid={`party-phone-${f.name}`} /></Form.Item>
                    <Form.Item name={[f.name, 'agentName']} label={t('med.agent')}><Input maxLength={50} /></Form.Item>
                  </Space>
                </Card>
              ))}
              <Button onClick={() => add({ role: 'third_party', kind: 'person' })} data-testid="add-party">{t('med.addParty')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
