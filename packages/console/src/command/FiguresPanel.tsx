import { Card, Col, Row, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { Dimensions, RateNames, Rates, type Dimension, type Figures, type Metric } from '@fengqiao/contracts';
import { useLabel, useT, type MessageKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { change, drillHref, pct } from './drill.ts';

type Breakdown = Figures['breakdowns'][Dimension][number];

/** Counts and rates of a period with their comparisons; every number opens the list of cases behind it. */
export function FiguresPanel({ f }: { f: Figures }) {
  const t = useT();
  const L = useLabel();
  const { from, to } = f.current.period;
  const org = f.scope === 'organization';
  const drill = (metric: Metric, period = true, filter?: Record<string, string>) => drillHref({
    areaId: org ? undefined : f.areaId, ...(period ? { from, to } : {}), metric, filter,
  });
  const Link = ({ n, href, id }: { n: number; href: string; id?: string }) => <a onClick={() => navigate(href)} data-testid={id}>{n}</a>;
  const compare = (now: number | null, prev: number | null, year: number | null) => (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cc.vsPrevious')} {change(now, prev)} · {t('cc.vsYear')} {change(now, year)}</Typography.Text>
  );
  const c = f.current.counts;
  const cards: { key: string; title: string; value: React.ReactNode; foot?: React.ReactNode }[] = [
    { key: 'n', title: t('cc.received'), value: <Link n={c.n} href={drill('n')} id="figure-n" />, foot: compare(c.n, f.previous.counts.n, f.yearBefore.counts.n) },
    { key: 'open', title: t('cc.open'), value: <Link n={f.now.open} href={drill('open', false)} id="figure-open" /> },
    { key: 'overdue', title: t('cc.overdue'), value: <Link n={f.now.overdue} href={drill('overdue', false)} /> },
    { key: 'supervised', title: t('cc.supervised'), value: <Link n={f.now.supervised} href={drill('supervised', false)} /> },
    ...RateNames.map((r) => {
      const [num, dens] = Rates[r];
      const den = dens.reduce((a, k) => a + c[k], 0);
      return {
        key: r, title: t(`cc.rate.${r}` as MessageKey), value: pct(f.current.rates[r]),
        foot: (
          <span>
            <Tooltip title={t(`metric.${num}` as MessageKey)}><Link n={c[num]} href={drill(num)} /></Tooltip> / {den}
            {' '}{compare(f.current.rates[r], f.previous.rates[r], f.yearBefore.rates[r])}
          </span>
        ),
      };
    }),
    { key: 'avg', title: t('cc.avgDays'), value: f.current.averageHandleWorkingDays ?? '—' },
    { key: 'mediation', title: t('cc.mediationRate'), value: pct(f.mediation.successRate), foot: <Typography.Text type="secondary" style={{ fontSize: 12 }}>{f.mediation.concluded}</Typography.Text> },
  ];
  const label = (d: Dimension, b: Breakdown) => {
    if (d === 'channel') return L('channel', b.key);
    if (d === 'status') return L('status', b.key);
    if (d === 'tier') return b.key ? L('tier', b.key) : t('cc.noTier');
    return b.label;
  };
  return (
    <>
      <Row gutter={[12, 12]} data-testid="figures">
        {cards.map((x) => (
          <Col key={x.key} xs={12} sm={8} lg={6} xl={4}>
            <Card size="small"><Statistic title={x.title} value={x.value as never} valueRender={() => x.value} />{x.foot}</Card>
          </Col>
        ))}
      </Row>
      {!org && (
        <Card size="small" style={{ marginTop: 12 }}>
          <Tabs items={Dimensions.map((d) => ({
            key: d, label: t(`cc.by.${d}` as MessageKey),
            children: (
              <Table<Breakdown> rowKey="key" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={f.breakdowns[d]} data-testid={`breakdown-${d}`} columns={[
                { title: t('cc.unit'), render: (_, b) => label(d, b) },
                { title: t('cc.received'), render: (_, b) => <Link n={b.n} href={drill('n', true, b.filter)} /> },
                { title: t('cc.open'), render: (_, b) => <Link n={b.open} href={drill('open', true, b.filter)} /> },
                { title: t('cc.overdue'), render: (_, b) => (b.overdue ? <Tag color="red">{b.overdue}</Tag> : 0) },
                ...RateNames.map((r) => ({ title: t(`cc.rate.${r}` as MessageKey), render: (_: unknown, b: Breakdown) => pct(b.rates[r]) })),
              ]} />
            ),
          }))} />
        </Card>
      )}
    </>
  );
}
