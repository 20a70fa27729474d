import { useState } from 'react';
import { Alert, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { RateNames } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { errorText, useAsync } from '../util.ts';
import { pct } from './drill.ts';

export interface PeriodQuery { areaId?: number; period: 'day' | 'week' | 'month' | 'quarter' | 'year'; date: string }

/** 考评: the child areas or the departments, scored by the year's formula; small volumes listed but not ranked; Excel. */
export function RankingPanel({ q, locale }: { q: PeriodQuery; locale: 'zh-CN' | 'en-US' }) {
  const t = useT();
  const [units, setUnits] = useState<'areas' | 'departments'>('areas');
  const query = { ...(q.areaId ? { areaId: q.areaId } : {}), period: q.period, date: q.date, units };
  const { data, error } = useAsync(() => api.call('caseRanking', { query }), [JSON.stringify(query)]);
  type Row = NonNullable<typeof data>['items'][number];
  return (
    <Card size="small" title={t('cc.ranking')} extra={
      <Space wrap>
        <Segmented value={units} onChange={(v) => setUnits(v as typeof units)} options={[{ value: 'areas', label: t('cc.units.areas') }, { value: 'departments', label: t('cc.units.departments') }]} />
        <Button href={api.url('exportRanking', { query: { ...query, locale } })} data-testid="ranking-export">{t('cc.export')}</Button>
      </Space>
    }>
      {error ? <Alert type="error" title={errorText(error)} /> : (
        <>
          {data && <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('cc.rankingNote', { min: data.formula.minVolume })}</Typography.Paragraph>}
          <Table<Row> rowKey="unitId" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={data?.items ?? []} loading={!data} data-testid="ranking" columns={[
            { title: t('cc.rank'), render: (_, r) => (r.rank ?? <Tag>{t('cc.tooFew')}</Tag>) },
            { title: t('cc.unit'), dataIndex: 'name' },
            { title: t('cc.received'), dataIndex: 'n' },
            ...RateNames.map((r) => ({ title: t(`cc.rate.${r}` as MessageKey), render: (_: unknown, x: Row) => pct(x.rates[r]) })),
            { title: t('cc.score'), render: (_, r) => <b>{r.score}</b> },
          ]} />
        </>
      )}
    </Card>
  );
}
