import { useState } from 'react';
import { App, Alert, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tabs, Upload } from 'antd';
import type { ImportReport, Me, Person } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';
import { AreaTreeSelect } from '../components.tsx';
import { usePagedList } from '../usePagedList.ts';
import { navigate, useLocation } from '../router.ts';
import { errorText, formatTime } from '../util.ts';
import { GroupTags, KindFields, RevealField, VisitButton, kindValues, useCodeLabel, useCodeOptions, useCodes } from '../registry/shared.tsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The grid registry (人、地、组织): people with special groups, places with QR codes, organisations, visits. */
export default function RegistryPage({ me }: { me: Me }) {
  const t = useT();
  const { query } = useLocation();
  const tab = query.get('tab') ?? 'people';
  return (
    <Card title={t('menu.registry')}>
      <Tabs activeKey={tab} onChange={(k) => navigate(`/registry?tab=${k}`, { replace: true })} items={[
        { key: 'people', label: t('registry.people'), children: <PeopleTab me={me} /> },
        { key: 'places', label: t('registry.places'), children: <PlacesTab me={me} /> },
        { key: 'organizations', label: t('registry.organizations'), children: <OrganizationsTab me={me} /> },
        { key: 'visits', label: t('registry.visits'), children: <VisitsTab /> },
      ]} />
    </Card>
  );
}

export function PeopleTable({ rows, me, onChanged }: { rows: Person[]; me: Me; onChanged?: () => void }) {
  const t = useT();
  const codes = useCodes();
  const L = useCodeLabel();
  const canUnmask = me.permissions.includes('personal_data.unmask');
  const canWrite = me.permissions.includes('registry.write');
  return (
    <Table rowKey="id" dataSource={rows} pagination={false} size="small" scroll={{ x: 'max-content' }} data-testid="people" columns={[
      { title: t('registry.name'), render: (_, p) => <RevealField personId={p.id} field="name" masked={p.name} canUnmask={canUnmask} /> },
      { title: t('registry.idNumber'), render: (_, p) => <RevealField personId={p.id} field="idNumber" masked={p.idNumber} canUnmask={canUnmask} /> },
      { title: t('registry.phone'), render: (_, p) => <RevealField personId={p.id} field="phone" masked={p.phone} canUnmask={canUnmask} /> },
      { title: t('registry.residency'), render: (_, p) => L(codes?.residency, p.residency) },
      { title: t('registry.gender'), render: (_, p) => L(codes?.gender, p.gender) },
      { title: t('registry.household'), render: (_, p) => [p.householdNo, L(codes?.relationToHead, p.relationToHead), p.room].filter(Boolean).join(' · ') },
      { title: t('registry.groups'), render: (_, p) => <GroupTags person={p} codes={codes} /> },
      ...(canWrite ? [{ title: t('common.actions'), render: (_: unknown, p: Person) => <Space><GroupButton person={p} onDone={onChanged} /><VisitButton subjectType="person" subjectId={p.id} onDone={onChanged} /></Space> }] : []),
    ]} />
  );
}

function PeopleTab({ me }: { me: Me }) {
  const t = useT();
  const codes = useCodes();
  const options = useCodeOptions();
  const [filters, setFilters] = useState<{ areaId?: number; residency?: string; group?: string; idNumber?: string }>({});
  const [n, setN] = useState(0);
  const canWrite = me.permissions.includes('registry.write');
  const { rows, more } = usePagedList((after) => api.call('listPeople', { query: { limit: 50, ...filters, ...(after ? { cursor: after } : {}) } }), [filters, n]);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <AreaTreeSelect me={me} value={filters.areaId} onChange={(v) => setFilters((f) => ({ ...f, areaId: v }))} placeholder={t('registry.area')} />
        <Select allowClear placeholder={t('registry.residency')} style={{ width: 140 }} options={options(codes?.residency)} value={filters.residency} onChange={(v) => setFilters((f) => ({ ...f, residency: v }))} />
        <Select allowClear placeholder={t('registry.groups')} style={{ width: 180 }} options={options(codes?.groups)} value={filters.group} onChange={(v) => setFilters((f) => ({ ...f, group: v }))} data-testid="filter-group" />
        <Input.Search allowClear placeholder={t('registry.idLookup')} style={{ width: 240 }} onSearch={(v) => setFilters((f) => ({ ...f, idNumber: v.trim() || undefined }))} data-testid="id-lookup" />
        {canWrite && <PersonButton me={me} onDone={() => setN((x) => x + 1)} />}
        {canWrite && <ImportButton me={me} onDone={() => setN((x) => x + 1)} />}
      </Space>
      <PeopleTable rows={rows} me={me} onChanged={() => setN((x) => x + 1)} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </>
  );
}

function PersonButton({ me, onDone }: { me: Me; onDone: () => void }) {
  const t = useT();
  const codes = useCodes();
  const options = useCodeOptions();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  return (
    <>
      <Button type="primary" onClick={() => { form.resetFields(); setOpen(true); }} data-testid="add-person">{t('registry.addPerson')}</Button>
      <Modal open={open} title={t('registry.addPerson')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setOpen(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try {
            await api.call('createPerson', { body: { residency: v.residency, name: v.name, idNumber: v.idNumber || null, phone: v.phone || null, address: v.address || null, areaId: v.areaId, relationToHead: v.relationToHead || null, householdNo: v.householdNo || null, room: v.room || null } });
            message.success(t('registry.saved'));
            setOpen(false);
            onDone();
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical" initialValues={{ residency: 'registered' }}>
          <Form.Item name="areaId" label={t('registry.area')} rules={[{ required: true, message: t('registry.required') }]}><AreaTreeSelect me={me} /></Form.Item>
          <Form.Item name="residency" label={t('registry.residency')} rules={[{ required: true }]}><Select options={options(codes?.residency)} /></Form.Item>
          <Form.Item name="name" label={t('registry.name')} rules={[{ required: true, message: t('registry.required') }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="idNumber" label={t('registry.idNumber')}><Input maxLength={18} /></Form.Item>
          <Form.Item name="phone" label={t('registry.phone')}><Input maxLength={11} /></Form.Item>
          <Form.Item name="address" label={t('registry.address')}><Input maxLength={200} /></Form.Item>
          <Space>
            <Form.Item name="householdNo" label={t('registry.householdNo')}><Input maxLength={30} /></Form.Item>
            <Form.Item name="relationToHead" label={t('registry.relation')}><Select allowClear style={{ width: 120 }} options={options(codes?.relationToHead)} /></Form.Item>
            <Form.Item name="room" label={t('registry.room')}><Input maxLength={30} /></Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

/** Puts a person in a special group with its attention level and the group's own follow-up fields. */
function GroupButton({ person, onDone }: { person: Person; onDone?: () => void }) {
  const t = useT();
  const codes = useCodes();
  const options = useCodeOptions();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<string | undefined>();
  const [form] = Form.useForm();
  const def = codes?.groups.find((g) => g.code === kind);
  return (
    <>
      <Button size="small" onClick={() => { form.resetFields(); setKind(undefined); setOpen(true); }}>{t('registry.group')}</Button>
      <Modal open={open} title={t('registry.group')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setOpen(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try {
            await api.call('putPersonGroup', { params: { id: person.id, kind: v.kind }, body: { attentionLevel: v.attentionLevel, details: kindValues(v.details) } });
            message.success(t('registry.saved'));
            setOpen(false);
            onDone?.();
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('registry.groups')} rules={[{ required: true, message: t('registry.required') }]}><Select options={options(codes?.groups)} onChange={setKind} /></Form.Item>
          <Form.Item name="attentionLevel" label={t('registry.attention')} rules={[{ required: true, message: t('registry.required') }]}><Select options={options(codes?.attentionLevels)} /></Form.Item>
          {def && <KindFields fields={def.fields} prefix="details" />}
        </Form>
      </Modal>
    </>
  );
}

/** CSV or Excel import: the server checks every row; the report lists each problem; nothing is written unless all rows pass (or "skip invalid"). */
function ImportButton({ me, onDone }: { me: Me; onDone: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [areaId, setAreaId] = useState<number>();
  const [skip, setSkip] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = async (file: File) => {
    setError(null); setReport(null);
    const csv = file.name.toLowerCase().endsWith('.csv');
    try {
      const r = await api.call('importPeople', {
        query: { format: csv ? 'csv' : 'xlsx', ...(areaId ? { areaId } : {}), ...(skip ? { skipInvalid: true } : {}) },
        file: new Blob([file], { type: csv ? 'text/csv' : XLSX }), fileName: file.name,
      });
      setReport(r);
      if (r.committed) onDone();
    } catch (e) { setError(errorText(e)); }
    return false;
  };
  return (
    <>
      <Button onClick={() => { setReport(null); setError(null); setOpen(true); }} data-testid="import-people">{t('registry.import')}</Button>
      <Modal open={open} title={t('registry.import')} footer={null} onCancel={() => setOpen(false)} width={720}>
        <p>{t('registry.importHelp')}</p>
        <Space wrap style={{ marginBottom: 12 }}>
          <AreaTreeSelect me={me} value={areaId} onChange={setAreaId} placeholder={t('registry.importArea')} />
          <span>{t('registry.skipInvalid')} <Switch checked={skip} onChange={setSkip} /></span>
          <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => { void upload(f); return false; }}>
            <Button type="primary" data-testid="import-file">{t('registry.chooseFile')}</Button>
          </Upload>
        </Space>
        {error && <Alert type="error" title={error} />}
        {report && (
          <>
            <Alert type={report.committed ? 'success' : 'warning'} data-testid="import-report"
              title={report.committed ? t('registry.imported', { n: report.imported, skipped: report.skipped }) : t('registry.notImported', { n: report.skipped, rows: report.rows })} />
            {report.problems.length > 0 && (
              <Table size="small" rowKey={(p) => `${p.row}.${p.field}.${p.problem}`} dataSource={report.problems} pagination={{ pageSize: 10 }} style={{ marginTop: 8 }} columns={[
                { title: t('registry.row'), dataIndex: 'row', width: 60 }, { title: t('registry.field'), dataIndex: 'field', width: 120 }, { title: t('registry.problem'), dataIndex: 'problem' },
              ]} />
            )}
          </>
        )}
      </Modal>
    </>
  );
}

function PlacesTab({ me }: { me: Me }) {
  const t = useT();
  const codes = useCodes();
  const L = useCodeLabel();
  const options = useCodeOptions();
  const [areaId, setAreaId] = useState<number | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [n, setN] = useState(0);
  const { rows, more } = usePagedList((after) => api.call('listPlaces', { query: { limit: 100, ...(areaId ? { areaId } : {}), ...(kind ? { kind } : {}), ...(after ? { cursor: after } : {}) } }), [areaId, kind, n]);
  const sheetArea = areaId ?? me.area.id;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <AreaTreeSelect me={me} value={areaId} onChange={setAreaId} placeholder={t('registry.area')} />
        <Select allowClear placeholder={t('common.kind')} style={{ width: 160 }} options={options(codes?.placeKinds)} value={kind} onChange={setKind} />
        {me.permissions.includes('registry.write') && <PlaceButton me={me} onDone={() => setN((x) => x + 1)} />}
        <Button href={api.url('placeQrSheet', { query: { areaId: sheetArea, ...(kind ? { kind } : {}) } })} target="_blank" data-testid="qr-sheet">{t('registry.printQr')}</Button>
      </Space>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" data-testid="places" columns={[
        { title: t('registry.placeCode'), dataIndex: 'code' },
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('common.kind'), render: (_, p) => L(codes?.placeKinds, p.kind) },
        { title: t('registry.address'), dataIndex: 'address' },
        { title: t('common.actions'), render: (_, p) => <VisitButton subjectType="place" subjectId={String(p.id)} /> },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </>
  );
}

function PlaceButton({ me, onDone }: { me: Me; onDone: () => void }) {
  const t = useT();
  const codes = useCodes();
  const options = useCodeOptions();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<string>('residential');
  const [form] = Form.useForm();
  const def = codes?.placeKinds.find((k) => k.code === kind);
  return (
    <>
      <Button type="primary" onClick={() => { form.resetFields(); setKind('residential'); setOpen(true); }} data-testid="add-place">{t('registry.addPlace')}</Button>
      <Modal open={open} title={t('registry.addPlace')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setOpen(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try {
            const location = v.lon !== undefined && v.lon !== '' && v.lat !== undefined && v.lat !== '' ? { lon: Number(v.lon), lat: Number(v.lat), crs: v.crs } : null;
            await api.call('createPlace', { body: { kind: v.kind, name: v.name, address: v.address || null, ...(v.areaId ? { areaId: v.areaId } : {}), location, attributes: kindValues(v.attributes) } });
            message.success(t('registry.saved'));
            setOpen(false);
            onDone();
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical" initialValues={{ kind: 'residential', crs: 'gcj02' }}>
          <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true }]}><Select options={options(codes?.placeKinds)} onChange={setKind} /></Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('registry.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="address" label={t('registry.address')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="areaId" label={t('registry.area')} extra={t('registry.areaFromPoint')}><AreaTreeSelect me={me} /></Form.Item>
          <Space>
            <Form.Item name="lon" label={t('registry.lon')}><Input style={{ width: 130 }} /></Form.Item>
            <Form.Item name="lat" label={t('registry.lat')}><Input style={{ width: 130 }} /></Form.Item>
            <Form.Item name="crs" label={t('registry.crs')}><Select style={{ width: 150 }} options={[{ value: 'wgs84', label: 'WGS-84 (GPS)' }, { value: 'gcj02', label: 'GCJ-02' }, { value: 'bd09', label: 'BD-09' }]} /></Form.Item>
          </Space>
          {def && <KindFields fields={def.fields} prefix="attributes" />}
        </Form>
      </Modal>
    </>
  );
}

function OrganizationsTab({ me }: { me: Me }) {
  const t = useT();
  const codes = useCodes();
  const L = useCodeLabel();
  const options = useCodeOptions();
  const { message } = App.useApp();
  const [n, setN] = useState(0);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { rows, more } = usePagedList((after) => api.call('listRegistryOrganizations', { query: { limit: 100, ...(after ? { cursor: after } : {}) } }), [n]);
  return (
    <>
      {me.permissions.includes('registry.write') && <Button type="primary" style={{ marginBottom: 12 }} onClick={() => { form.resetFields(); setOpen(true); }}>{t('registry.addOrganization')}</Button>}
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" columns={[
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('common.kind'), render: (_, o) => L(codes?.organizationKinds, o.kind) },
        { title: t('registry.creditCode'), dataIndex: 'creditCode' },
        { title: t('registry.contact'), render: (_, o) => [o.contactName, o.contactPhone].filter(Boolean).join(' · ') },
        { title: t('registry.address'), dataIndex: 'address' },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
      <Modal open={open} title={t('registry.addOrganization')} okText={t('common.ok')} cancelText={t('common.cancel')} onCancel={() => setOpen(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null); // the form shows what is missing
          if (!v) return;
          try {
            await api.call('createRegistryOrganization', { body: { kind: v.kind, name: v.name, areaId: v.areaId, creditCode: v.creditCode || null, contactName: v.contactName || null, contactPhone: v.contactPhone || null, address: v.address || null } });
            message.success(t('registry.saved'));
            setOpen(false);
            setN((x) => x + 1);
          } catch (e) { message.error(errorText(e)); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true, message: t('registry.required') }]}><Select options={options(codes?.organizationKinds)} /></Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('registry.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="areaId" label={t('registry.area')} rules={[{ required: true, message: t('registry.required') }]}><AreaTreeSelect me={me} /></Form.Item>
          <Form.Item name="creditCode" label={t('registry.creditCode')}><Input maxLength={18} /></Form.Item>
          <Form.Item name="contactName" label={t('registry.contact')}><Input maxLength={50} /></Form.Item>
          <Form.Item name="contactPhone" label={t('registry.phone')}><Input maxLength={11} /></Form.Item>
          <Form.Item name="address" label={t('registry.address')}><Input maxLength={200} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function VisitsTab() {
  const t = useT();
  const codes = useCodes();
  const L = useCodeLabel();
  const { rows, more } = usePagedList((after) => api.call('listVisits', { query: { limit: 100, ...(after ? { cursor: after } : {}) } }));
  return (
    <>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" columns={[
        { title: t('common.time'), dataIndex: 'visitedAt', render: (v: string) => formatTime(v) },
        { title: t('common.kind'), render: (_, v) => L(codes?.visitKinds, v.kind) },
        { title: t('registry.subject'), render: (_, v) => t(`registry.subject.${v.subjectType}`) },
        { title: t('registry.visitor'), dataIndex: 'visitorName' },
        { title: t('registry.note'), dataIndex: 'note' },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </>
  );
}
