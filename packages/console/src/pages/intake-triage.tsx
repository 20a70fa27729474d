import { useContext, useEffect, useState } from 'react';
import { Space, Tag, Typography } from 'antd';
import type { TriageSuggestions } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useT } from '../i18n.ts';

/**
 * The category model's suggestions for a description as it is typed (asked 400 ms after the last keystroke):
 * the staff form shows them as tags to pick, and preselects a confident first one while the category is untouched.
 */
export function useTriage(description: string | undefined, areaId: number | undefined): TriageSuggestions | null {
  const [found, setFound] = useState<TriageSuggestions | null>(null);
  useEffect(() => {
    const text = description?.trim() ?? '';
    if (text.length < 4) { setFound(null); return; }
    let live = true;
    const timer = setTimeout(() => {
      api.call('suggestCategories', { body: { text, ...(areaId ? { areaId } : {}) } })
        .then((r) => { if (live) setFound(r.categories.length ? r : null); }, () => { if (live) setFound(null); });
    }, 400);
    return () => { live = false; clearTimeout(timer); };
  }, [description, areaId]);
  return found;
}

export function TriageHint({ found, chosen, preselected, onPick }: { found: TriageSuggestions; chosen?: number; preselected: boolean; onPick: (id: number) => void }) {
  const t = useT();
  const { locale } = useContext(I18nContext);
  return (
    <div style={{ margin: '-12px 0 12px' }} data-testid="triage">
      <Space size={4} wrap>
        <Typography.Text type="secondary">{t('triage.suggested')}</Typography.Text>
        {found.categories.map((c) => (
          <Tag.CheckableTag key={c.id} checked={chosen === c.id} onChange={() => onPick(c.id)} data-testid={`triage-${c.code}`}>
            {locale === 'en-US' ? c.nameEn : c.name} {Math.round(c.confidence * 100)}%
          </Tag.CheckableTag>
        ))}
      </Space>
      {preselected && <div><Typography.Text type="warning" data-testid="triage-preselected">{t('triage.preselected')}</Typography.Text></div>}
      {found.handlers.length > 0 && (
        <div><Typography.Text type="secondary" data-testid="triage-handlers">{t('triage.handlers', { names: found.handlers.map((h) => `${h.name}（${Math.round(h.share * 100)}%）`).join('、') })}</Typography.Text></div>
      )}
    </div>
  );
}
