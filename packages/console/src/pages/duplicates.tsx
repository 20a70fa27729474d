import { useEffect, useState } from 'react';
import { Alert, Button, Card, List, Space, Tag, Typography } from 'antd';
import type { CaseStatus, DuplicateCandidate, DuplicateReason } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';
import { StatusTag, useAsync } from '../components.tsx';
import { navigate } from '../router.ts';

/** Why a case looks like another, in words: 文字相似 82% · 同一报告人 · 相距 35 米 · 同一类别. */
export function useReasonText() {
  const t = useT();
  return (reasons: DuplicateReason[]) => reasons.map((r) => {
    switch (r.kind) {
      case 'text': return t('dup.text', { pct: Math.round(r.similarity * 100) });
      case 'near': return t('dup.near', { m: r.metres });
      default: return t(`dup.${r.kind}`);
    }
  }).join(' · ');
}

export interface ReportDraft { description?: string; areaId?: number; categoryId?: number; address?: string; lon?: number; lat?: number; phone?: string }

/** The cases a report being typed looks like, asked 500 ms after the last change. */
export function useDuplicates(d: ReportDraft): DuplicateCandidate[] {
  const [found, setFound] = useState<DuplicateCandidate[]>([]);
  const key = JSON.stringify(d);
  useEffect(() => {
    const text = d.description?.trim() ?? '';
    if (text.length < 4 || !d.areaId) { setFound([]); return; }
    let live = true;
    const timer = setTimeout(() => {
      const phone = d.phone && /^1[3-9]\d{9}$/.test(d.phone) ? d.phone : undefined;
      api.call('findDuplicates', { body: {
        description: text, areaId: d.areaId!, ...(d.categoryId ? { categoryId: d.categoryId } : {}), ...(d.address?.trim() ? { address: d.address.trim() } : {}),
        ...(d.lon !== undefined && d.lat !== undefined && d.lon !== null && d.lat !== null ? { location: { lon: d.lon, lat: d.lat } } : {}), ...(phone ? { phone } : {}),
      } }).then((r) => { if (live) setFound(r.items); }, () => { if (live) setFound([]); });
    }, 500);
    return () => { live = false; clearTimeout(timer); };
  }, [key]);
  return found;
}

function CandidateItem({ c, extra }: { c: DuplicateCandidate; extra?: React.ReactNode }) {
  const reasons = useReasonText();
  return (
    <List.Item data-testid="duplicate" data-number={c.number} extra={extra}>
      <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
        <Space wrap size={4}><a onClick={() => navigate(`/cases/${c.id}`)}>{c.number}</a><StatusTag status={c.status as CaseStatus} /></Space>
        <Typography.Text type="secondary" data-testid="duplicate-reasons">{reasons(c.reasons)}</Typography.Text>
        <Typography.Text ellipsis style={{ maxWidth: '100%' }}>{c.description}</Typography.Text>
      </Space>
    </List.Item>
  );
}

/** At intake: "this looks like case X", with the reasons. */
export function DuplicateHint({ items }: { items: DuplicateCandidate[] }) {
  const t = useT();
  if (!items.length) return null;
  return (
    <Alert type="warning" style={{ marginBottom: 12 }} data-testid="similar" title={t('dup.hint', { n: items.length })}
      description={<List size="small" dataSource={items} renderItem={(c) => <CandidateItem c={c} />} />} />
  );
}

/**
 * On a case's page: 共反映 N 次 (the case and the cases merged into it) and the cases it looks like; where this user
 * may merge the case, each offers to merge it into that one (the merge dialog opens with the number filled in).
 */
export function CaseReports({ caseId, version, canMerge, onMerge }: { caseId: string; version: number; canMerge: boolean; onMerge: (number: string) => void }) {
  const t = useT();
  const found = useAsync(() => api.call('caseDuplicates', { params: { id: caseId } }), [caseId, version]);
  const d = found.data;
  if (!d || (d.reports === 1 && !d.candidates.length)) return null;
  return (
    <Card size="small" data-testid="case-reports" title={<span data-testid="reported-times">{t('dup.reported', { n: d.reports })}</span>}>
      {d.merged.length > 0 && (
        <Space wrap style={{ marginBottom: 8 }} data-testid="merged-cases">
          <Typography.Text type="secondary">{t('dup.merged')}</Typography.Text>
          {d.merged.map((m) => <a key={m.id} onClick={() => navigate(`/cases/${m.id}`)}>{m.number}</a>)}
        </Space>
      )}
      {d.candidates.length > 0 && (
        <List size="small" header={t('dup.candidates')} dataSource={d.candidates} renderItem={(c) => (
          <CandidateItem c={c} extra={canMerge ? <Button size="small" onClick={() => onMerge(c.number)} data-testid="merge-into">{t('dup.mergeInto')}</Button> : undefined} />
        )} />
      )}
    </Card>
  );
}

/** For a queue's page: each case's likely master, asked once per page of rows. */
export function useMergeSuggestions(ids: string[], enabled: boolean): Map<string, DuplicateCandidate[]> {
  const [found, setFound] = useState(new Map<string, DuplicateCandidate[]>());
  const key = ids.join(',');
  useEffect(() => {
    if (!enabled || !ids.length) { setFound(new Map()); return; }
    let live = true;
    api.call('mergeSuggestions', { body: { caseIds: ids.slice(0, 100) } })
      .then((r) => { if (live) setFound(new Map(r.items.map((x) => [x.caseId, x.candidates]))); }, () => { if (live) setFound(new Map()); });
    return () => { live = false; };
  }, [key, enabled]);
  return found;
}

/** The list's cell: 疑似重复 with the likely master's number; opens the case, where it can be merged. */
export function MergeHint({ caseId, candidates }: { caseId: string; candidates: DuplicateCandidate[] | undefined }) {
  const t = useT();
  const reasons = useReasonText();
  if (!candidates?.length) return null;
  return (
    <Space size={2} wrap data-testid="merge-hint">
      {candidates.map((c) => (
        <Tag key={c.id} color="orange" title={reasons(c.reasons)} style={{ cursor: 'pointer' }} onClick={() => navigate(`/cases/${caseId}`)}>{t('dup.likely', { number: c.number })}</Tag>
      ))}
    </Space>
  );
}
