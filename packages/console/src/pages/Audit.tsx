import { useContext, useMemo, useState } from 'react';
import { Button, Card, DatePicker, Input, Select, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { AUDIT_ACTIONS, auditDetailText, auditLabel } from '@fengqiao/contracts';
import { usePagedList } from '../usePagedList.ts';
import { api } from '../api.ts';
import { I18nContext, useT } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { useAsync } from '../util.ts';
import { chinaTime } from '@fengqiao/contracts/time';

const FILTERS = ['actorId', 'action', 'target', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** China time to the second, as in the Excel export: 2026-12-01 09:14:05. */

/**
 * The audit log of my jurisdiction: who did what to which record, by name and in words; filtered by person,
 * action, target (a case number) and days, kept in the address so a link opens the same question; exported to
 * Excel. "Who looked at this resident's phone last month" is 查看个人信息 + the case number + the month.
 */
export default function AuditPage() {
  const t = useT();
  const { locale } = useContext(I18nContext);
  const { query } = useLocation();
  const filters: Filters = useMemo(() => Object.fromEntries(FILTERS.filter((f) => query.get(f)).map((f) => [f, query.get(f)!])), [query.toString()]);
  const [target, setTarget] = useState(filters.target ?? '');
  const setFilter = (patch: Filters) => {
    const next = new URLSearchParams(Object.entries({ ...filters, ...patch }).filter(([, v]) => v) as [string, string][]);
    navigate(`/audit${next.size ? `?${next}` : ''}`, { replace: true });
  };
  const people = useAsync(() => api.call('listUsers', { query: { limit: 200 } }), []);
  const { rows, more } = usePagedList((after) => api.call('listAudit', { query: { limit: 100, ...filters, ...(after ? { cursor: after } : {}) } as never }), [query.toString()]);
  const exportUrl = api.url('exportAudit', { query: { ...filters, locale } as never });
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] = [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null];
  return (
    <Card title={t('menu.audit')} extra={<Button href={exportUrl} data-testid="audit-export">{t('audit.export')}</Button>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} placeholder={t('audit.actor')} value={filters.actorId}
          onChange={(v) => setFilter({ actorId: v })} data-testid="audit-actor"
          options={(people.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} placeholder={t('audit.action')} value={filters.action}
          onChange={(v) => setFilter({ action: v })} data-testid="audit-action"
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: auditLabel(locale, 'action', a) }))} />
        <Input.Search allowClear style={{ width: 240 }} placeholder={t('audit.targetHint')} value={target} data-testid="audit-target"
          onChange={(e) => setTarget(e.target.value)} onSearch={(v) => setFilter({ target: v.trim() })} />
        <DatePicker.RangePicker value={range} data-testid="audit-days"
          onChange={(v) => setFilter({ from: v?.[0]?.format('YYYY-MM-DD') ?? '', to: v?.[1]?.format('YYYY-MM-DD') ?? '' })} />
        <Button onClick={() => { setTarget(''); navigate('/audit', { replace: true }); }}>{t('common.reset')}</Button>
      </Space>
      <Table rowKey="id" dataSource={rows} pagination={false} size="small" data-testid="audit" scroll={{ x: 900 }} columns={[
        { title: t('common.time'), dataIndex: 'at', width: 170, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{chinaTime(v, { seconds: true })}</span> },
        { title: t('audit.actor'), render: (_, e) => (e.actorDisplayName ? <span title={e.actorName ?? ''}>{e.actorDisplayName}</span> : e.actorName ?? t('audit.system')) },
        { title: t('audit.action'), dataIndex: 'action', render: (v: string) => auditLabel(locale, 'action', v) },
        {
          title: t('audit.target'), render: (_, e) => {
            if (!e.targetType) return '';
            const name = e.targetLabel ?? e.targetId ?? '';
            const text = `${auditLabel(locale, 'target', e.targetType)} ${name}`;
            return e.targetLink ? <a href={e.targetLink} onClick={(ev) => { ev.preventDefault(); navigate(e.targetLink!); }}>{text}</a> : text;
          },
        },
        { title: t('audit.detail'), render: (_, e) => auditDetailText(locale, e) },
        { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
      ]} />
      {more && <Button style={{ marginTop: 12 }} onClick={more}>{t('common.loadMore')}</Button>}
    </Card>
  );
}
