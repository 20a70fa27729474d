import { useContext, useEffect, useMemo, useState } from 'react';
import { Button, Card, Checkbox, DatePicker, Form, Grid, Input, Popover, Select, Space, Table, Tag, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { CaseStatuses, Channels, Queues, Tiers, type Case, type Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useLabel, useT, type MessageKey } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { categoryTree, useCategories, useCategoryName } from '../data.ts';
import { AreaTreeSelect, ClockTag, StatusTag, errorText } from '../components.tsx';
import { MergeHint, useMergeSuggestions } from './duplicates.tsx';
import { formatTime } from '../util.ts';

const FILTERS = ['queue', 'status', 'channel', 'categoryId', 'tier', 'areaId', 'createdFrom', 'createdTo', 'overdue', 'open', 'number', 'metric', 'assigneeOrgId', 'areaDirect', 'leaderMe', 'instructedByMe', 'supervisedByMe', 'q'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const ALL_COLUMNS = ['number', 'status', 'category', 'area', 'channel', 'tier', 'owningOrg', 'assigneeOrg', 'handle', 'reporter', 'description', 'createdAt'] as const;
const DEFAULT_COLUMNS = ['number', 'status', 'category', 'area', 'tier', 'assigneeOrg', 'handle', 'createdAt'];

/** Every filter of the API, in the address bar (a queue on the workbench links here), keyset paging, column choice and the Excel ledger. */
/**
 * The description with what was searched for marked: each word typed where it occurs whole, otherwise its pairs of
 * characters (the search matches words and character pairs: docs/triage.md).
 */
function Highlight({ text, query }: { text: string; query: string }) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const lower = text.toLowerCase();
  const marks = words.flatMap((w) => (lower.includes(w) || [...w].length < 2 ? [w] : [...w].slice(0, -1).map((c, i) => c + [...w][i + 1]!)));
  const pattern = marks.filter(Boolean).map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length).join('|');
  if (!pattern) return <>{text}</>;
  const parts = text.split(new RegExp(`(${pattern})`, 'gi'));
  return <>{parts.map((p, i) => (i % 2 ? <mark key={i} data-testid="hit">{p}</mark> : p))}</>;
}

export default function CasesPage({ me }: { me: Me }) {
  const t = useT();
  const narrow = !Grid.useBreakpoint().md; // on a phone the columns keep their width and the table scrolls sideways inside itself
  const L = useLabel();
  const categoryName = useCategoryName();
  const { locale } = useContext(I18nContext);
  const { query } = useLocation();
  const filters: Filters = useMemo(() => Object.fromEntries(FILTERS.filter((f) => query.get(f)).map((f) => [f, query.get(f)!])), [query.toString()]);
  const categories = useCategories();
  const [rows, setRows] = useState<Case[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [columns, setColumns] = useState<string[]>(() => JSON.parse(localStorage.getItem('fq.caseColumns') ?? 'null') ?? DEFAULT_COLUMNS);

  const apiQuery = () => {
    const q: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(filters)) {
      q[k] = ['categoryId', 'areaId', 'assigneeOrgId'].includes(k) ? Number(v) : ['overdue', 'open', 'areaDirect', 'leaderMe', 'instructedByMe', 'supervisedByMe'].includes(k) ? v === 'true' : v;
    }
    return q;
  };
  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const page = await api.call('listCases', { query: { ...apiQuery(), limit: 50, ...(after ? { cursor: after } : {}) } as never });
      setRows((old) => (after ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => { void load(null); }, [query.toString()]);

  const setFilter = (patch: Filters) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, ...patch })) if (v) next.set(k, v);
    navigate(`/cases${next.toString() ? `?${next}` : ''}`, { replace: true });
  };
  // a dispatcher's queues: what each new case might be merged into
  const triaging = filters.queue === 'to_accept' || filters.queue === 'to_dispatch' || filters.status === 'pending_acceptance';
  const suggestions = useMergeSuggestions(rows.map((r) => r.id), triaging);
  const chooseColumns = (c: string[]) => { setColumns(c); localStorage.setItem('fq.caseColumns', JSON.stringify(c)); };

  const all: ColumnsType<Case> = [
    { key: 'number', title: t('case.number'), render: (_, c) => <a onClick={() => navigate(`/cases/${c.id}`)} data-testid="case-link">{c.number}</a> },
    { key: 'status', title: t('case.status'), render: (_, c) => <StatusTag status={c.status} /> },
    { key: 'category', title: t('case.category'), render: (_, c) => categoryName(c.category) },
    { key: 'area', title: t('case.area'), render: (_, c) => c.area.name },
    { key: 'channel', title: t('case.channel'), render: (_, c) => L('channel', c.channel) },
    { key: 'tier', title: t('case.tier'), render: (_, c) => L('tier', c.tier) },
    { key: 'owningOrg', title: t('case.owningOrg'), render: (_, c) => c.owningOrg.name },
    { key: 'assigneeOrg', title: t('case.assigneeOrg'), render: (_, c) => c.assigneeOrg?.name ?? '' },
    { key: 'handle', title: t('case.handleClock'), render: (_, c) => <ClockTag name="handle" clock={c.clocks.handle} /> },
    { key: 'reporter', title: t('case.reporter'), render: (_, c) => (c.reporter.anonymous ? t('case.anonymous') : [c.reporter.name, c.reporter.phone].filter(Boolean).join(' ')) },
    { key: 'description', title: t('case.description'), ellipsis: !filters.q, render: (_, c) => (filters.q ? <Highlight text={c.description} query={filters.q} /> : c.description) },
    { key: 'createdAt', title: t('case.createdAt'), render: (_, c) => formatTime(c.createdAt) },
    { key: 'duplicates', title: t('cases.duplicates'), render: (_, c) => <MergeHint caseId={c.id} candidates={suggestions.get(c.id)} /> },
  ];
  const exportUrl = api.url('exportCases', { query: { ...apiQuery(), locale } });
  const range: [Dayjs | null, Dayjs | null] = [filters.createdFrom ? dayjs(filters.createdFrom) : null, filters.createdTo ? dayjs(filters.createdTo) : null];

  return (
    <Card title={filters.queue ? `${t('menu.cases')} · ${L('queue', filters.queue)}` : t('menu.cases')} extra={
      <Space>
        <Popover trigger="click" title={t('cases.columns')} content={
          <Checkbox.Group value={columns} onChange={(v) => chooseColumns(v as string[])} style={{ display: 'grid' }}
            options={ALL_COLUMNS.map((c) => ({ value: c, label: t(`column.${c}` as MessageKey) }))} />
        }><Button data-testid="columns">{t('cases.columns')}</Button></Popover>
        <Button href={exportUrl} data-testid="export">{t('cases.export')}</Button>
      </Space>
    }>
      {filters.metric && (
        <Tag closable onClose={() => setFilter({ metric: undefined })} color="blue" style={{ marginBottom: 12 }} data-testid="metric-filter">
          {t('cc.metricFilter')}：{t(`metric.${filters.metric}` as MessageKey)}
        </Tag>
      )}
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('case.queue')}>
          <Select allowClear style={{ width: 120 }} value={filters.queue} onChange={(v) => setFilter({ queue: v })} options={Queues.map((q) => ({ value: q, label: L('queue', q) }))} data-testid="filter-queue" />
        </Form.Item>
        <Form.Item label={t('case.status')}>
          <Select allowClear style={{ width: 120 }} value={filters.status} onChange={(v) => setFilter({ status: v })} options={CaseStatuses.map((s) => ({ value: s, label: L('status', s) }))} data-testid="filter-status" />
        </Form.Item>
        <Form.Item label={t('case.channel')}>
          <Select allowClear style={{ width: 120 }} value={filters.channel} onChange={(v) => setFilter({ channel: v })} options={Channels.map((s) => ({ value: s, label: L('channel', s) }))} />
        </Form.Item>
        <Form.Item label={t('case.category')}>
          <TreeSelect allowClear style={{ width: 160 }} value={filters.categoryId ? Number(filters.categoryId) : undefined} onChange={(v) => setFilter({ categoryId: v ? String(v) : undefined })}
            treeData={categoryTree(categories, locale, { groupsSelectable: true })} />
        </Form.Item>
        <Form.Item label={t('case.tier')}>
          <Select allowClear style={{ width: 100 }} value={filters.tier} onChange={(v) => setFilter({ tier: v })} options={Tiers.map((s) => ({ value: s, label: L('tier', s) }))} />
        </Form.Item>
        <Form.Item label={t('case.area')}>
          <AreaTreeSelect me={me} value={filters.areaId ? Number(filters.areaId) : undefined} onChange={(v) => setFilter({ areaId: v ? String(v) : undefined })} />
        </Form.Item>
        <Form.Item label={t('case.createdAt')}>
          <DatePicker.RangePicker value={range} onChange={(v) => setFilter({
            createdFrom: v?.[0] ? v[0].startOf('day').toISOString() : undefined, createdTo: v?.[1] ? v[1].endOf('day').toISOString() : undefined,
          })} />
        </Form.Item>
        <Form.Item label={t('cases.overdue')}>
          <Select allowClear style={{ width: 90 }} value={filters.overdue} onChange={(v) => setFilter({ overdue: v })} options={[{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }]} />
        </Form.Item>
        <Form.Item label={t('cases.open')}>
          <Select allowClear style={{ width: 100 }} value={filters.open} onChange={(v) => setFilter({ open: v })} options={[{ value: 'true', label: t('cases.openYes') }, { value: 'false', label: t('cases.openNo') }]} />
        </Form.Item>
        <Form.Item label={t('cases.search')}>
          <Input.Search allowClear style={{ width: 260 }} maxLength={100} placeholder={t('cases.searchPlaceholder')} defaultValue={filters.q}
            onSearch={(v) => setFilter({ q: v.trim() || undefined })} data-testid="filter-q" />
        </Form.Item>
        <Form.Item label={t('case.number')}>
          <Input.Search allowClear style={{ width: 220 }} defaultValue={filters.number} onSearch={(v) => setFilter({ number: v.trim() || undefined })} data-testid="filter-number" />
        </Form.Item>
      </Form>
      {error && <div style={{ color: '#cf1322', marginBottom: 8 }}>{error}</div>}
      <Table rowKey="id" dataSource={rows} loading={loading} pagination={false} size="small" scroll={{ x: narrow ? 'max-content' : true }}
        columns={all.filter((c) => columns.includes(String(c.key)) || (filters.q && c.key === 'description') || (triaging && c.key === 'duplicates'))} data-testid="case-table"
        // an overdue case stands out in every list
        rowClassName={(c) => (Object.values(c.clocks).some((k) => k.state === 'overdue') ? 'fq-overdue' : '')}
        onRow={(c) => ({ onDoubleClick: () => navigate(`/cases/${c.id}`) })} />
      {cursor && <Button style={{ marginTop: 12 }} onClick={() => load(cursor)} data-testid="load-more">{t('common.loadMore')}</Button>}
    </Card>
  );
}
