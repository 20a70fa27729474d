import { useContext } from 'react';
import { Alert, Button, Card, Col, DatePicker, Row, Segmented, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { I18nContext, useT, type MessageKey } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { AreaTreeSelect } from '../components.tsx';
import { errorText, useAsync } from '../util.ts';
import { FiguresPanel } from '../command/FiguresPanel.tsx';
import { RankingPanel, type PeriodQuery } from '../command/RankingPanel.tsx';
import { WarningsPanel } from '../command/WarningsPanel.tsx';

const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;

/** 研判调度中心: figures of an area and a period with comparisons, breakdowns, the ranking and the warnings; everything in the address bar. */
export default function CommandCenterPage({ me }: { me: Me }) {
  const t = useT();
  const { locale } = useContext(I18nContext);
  const { query } = useLocation();
  const q: PeriodQuery = {
    areaId: Number(query.get('area')) || undefined,
    period: (PERIODS as readonly string[]).includes(query.get('period') ?? '') ? query.get('period') as PeriodQuery['period'] : 'month',
    date: /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '') ? query.get('date')! : dayjs().format('YYYY-MM-DD'),
  };
  const go = (patch: Partial<PeriodQuery>) => {
    const next = { ...q, ...patch };
    const p = new URLSearchParams({ period: next.period, date: next.date, ...(next.areaId ? { area: String(next.areaId) } : {}) });
    navigate(`/command?${p}`, { replace: true });
  };
  const figures = useAsync(() => api.call('caseFigures', { query: { ...(q.areaId ? { areaId: q.areaId } : {}), period: q.period, date: q.date } }), [q.areaId, q.period, q.date]);
  const f = figures.data;
  const areaOnly = f?.scope !== 'organization';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Card size="small" title={`${t('cc.title')}${f ? ` · ${f.areaName}` : ''}`} extra={
        <Space wrap>
          {areaOnly && <AreaTreeSelect me={me} value={q.areaId} onChange={(v) => go({ areaId: v ?? undefined })} placeholder={t('registry.area')} />}
          <Segmented value={q.period} onChange={(v) => go({ period: v as PeriodQuery['period'] })} options={PERIODS.map((p) => ({ value: p, label: t(`cc.period.${p}` as MessageKey) }))} data-testid="period" />
          <DatePicker value={dayjs(q.date)} allowClear={false} onChange={(d) => d && go({ date: d.format('YYYY-MM-DD') })} />
          <Button onClick={() => navigate(`/screen${q.areaId ? `?area=${q.areaId}` : ''}`)} data-testid="open-screen">{t('cc.bigScreen')}</Button>
          <Button onClick={() => navigate('/leader')}>{t('cc.leaderView')}</Button>
        </Space>
      }>
        {f && <Typography.Text type="secondary">{f.current.period.from} – {f.current.period.to}{f.pending ? ` · ${t('cc.pending', { n: f.pending })}` : ''}</Typography.Text>}
      </Card>
      {figures.error ? <Alert type="error" title={errorText(figures.error)} /> : !f ? <Spin style={{ width: '100%', marginTop: 48 }} /> : <FiguresPanel f={f} />}
      <Row gutter={[12, 12]}>
        {areaOnly && <Col xs={24} xl={14}><RankingPanel q={q} locale={locale} /></Col>}
        <Col xs={24} xl={areaOnly ? 10 : 24}><WarningsPanel me={me} areaId={q.areaId} /></Col>
      </Row>
    </Space>
  );
}
