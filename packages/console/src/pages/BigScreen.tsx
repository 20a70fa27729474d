import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GeoComponent, GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useLabel, useT, type MessageKey } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { useAsync } from '../util.ts';
import { LEVEL_COLOURS } from '../command/drill.ts';
import './big-screen.css';

echarts.use([BarChart, LineChart, MapChart, PieChart, GeoComponent, GridComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

interface Live {
  at: string; areaName: string; today: { n: number; closed: number }; now: { open: number; overdue: number; supervised: number };
  trend: { day: string; n: number }[]; warnings: Record<'red' | 'orange' | 'yellow' | 'blue', number>;
  latest: { id: number; level: 'red' | 'orange' | 'yellow' | 'blue'; title: string; raisedAt: string }[];
}
const TEXT = '#e6f1ff';

/** A chart in a div: created once, given new options as they come. */
function Chart({ option, height, testId }: { option: echarts.EChartsCoreOption | null; height: number; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    chart.current = echarts.init(el.current!, undefined, { renderer: 'svg' });
    const onResize = () => chart.current?.resize();
    window.addEventListener('resize', onResize);
    return () => { window.removeEventListener('resize', onResize); chart.current?.dispose(); };
  }, []);
  useEffect(() => { if (option) chart.current?.setOption(option, true); }, [option]);
  return <div ref={el} style={{ height }} data-testid={testId} />;
}

/** 一屏尽览: for the wall of the 研判调度室 — 1920×1080, dark, live over server-sent events, reconnecting by itself. */
export default function BigScreenPage({ me: _me }: { me: Me }) {
  const t = useT();
  const L = useLabel();
  const { query } = useLocation();
  const areaId = Number(query.get('area')) || undefined;
  const [live, setLive] = useState<Live | null>(null);
  const [connected, setConnected] = useState(false);
  const [clock, setClock] = useState(new Date());
  const [tick, setTick] = useState(0);
  // the slower parts: the map, the categories of the month, the ranking — read again every minute
  const map = useAsync(() => api.call('areaMap', { query: areaId ? { areaId } : {} }), [areaId, tick]);
  const month = useAsync(() => api.call('caseFigures', { query: { ...(areaId ? { areaId } : {}), period: 'month' } }), [areaId, tick]);
  const ranking = useAsync(() => api.call('caseRanking', { query: { ...(areaId ? { areaId } : {}), period: 'month' } }).catch(() => null), [areaId, tick]);

  useEffect(() => {
    const source = new EventSource(api.url('figuresStream', { query: areaId ? { areaId } : {} }));
    source.addEventListener('figures', (e) => { setLive(JSON.parse((e as MessageEvent<string>).data) as Live); setConnected(true); });
    source.onerror = () => setConnected(false); // EventSource reconnects by itself (retry: 3 s)
    const timers = [setInterval(() => setClock(new Date()), 1000), setInterval(() => setTick((x) => x + 1), 60_000)];
    return () => { source.close(); timers.forEach(clearInterval); };
  }, [areaId]);

  const mapOption = map.data && map.data.features.length ? (() => {
    const name = `screen-${map.data.area.id}`;
    echarts.registerMap(name, { type: 'FeatureCollection', features: map.data.features.map((f) => ({ ...f, properties: { ...f.properties, name: String(f.properties.id) } })) } as never);
    const max = Math.max(1, ...map.data.features.map((f) => f.properties.openCases));
    return {
      visualMap: { min: 0, max, left: 16, bottom: 16, calculable: false, textStyle: { color: TEXT }, inRange: { color: ['#0b3d91', '#f5a623', '#e02020'] } },
      geo: { map: name, roam: false, itemStyle: { borderColor: '#7fb3ff', borderWidth: 0.5 } },
      series: [{ type: 'map', geoIndex: 0, data: map.data.features.map((f) => ({ name: String(f.properties.id), value: f.properties.openCases })) }],
    };
  })() : null;
  const categories = month.data?.breakdowns.category.slice(0, 8) ?? [];
  const axis = { axisLabel: { color: TEXT, fontSize: 14 }, axisLine: { lineStyle: { color: '#35507a' } }, splitLine: { lineStyle: { color: '#1c2b45' } } };
  const counter = (key: string, label: string, value: number | undefined, colour = TEXT) => (
    <div className="bs-counter" data-testid={`screen-${key}`} data-value={value ?? ''}><div className="bs-label">{label}</div><div className="bs-value" style={{ color: colour }}>{value ?? '…'}</div></div>
  );
  return (
    <div className="bs-root" data-testid="big-screen">
      <header className="bs-header">
        <span className="bs-title">{live?.areaName ?? ''} {t('cc.title')}</span>
        <span className="bs-clock">{clock.toLocaleString()} · <span data-testid="screen-connection" data-connected={String(connected)}>{connected ? t('cc.live') : t('cc.reconnecting')}</span></span>
        <a className="bs-back" onClick={() => navigate('/command')}>×</a>
      </header>
      <main className="bs-main">
        <section className="bs-col">
          {counter('today', t('cc.today'), live?.today.n)}
          {counter('open', t('cc.open'), live?.now.open)}
          {counter('overdue', t('cc.overdue'), live?.now.overdue, '#ff7875')}
          {counter('supervised', t('cc.supervised'), live?.now.supervised, '#ffc53d')}
          <div className="bs-levels">
            {(['red', 'orange', 'yellow', 'blue'] as const).map((l) => (
              <div key={l} className="bs-level" style={{ borderColor: LEVEL_COLOURS[l] }}><span>{t(`cc.level.${l}` as MessageKey)}</span><b style={{ color: LEVEL_COLOURS[l] }}>{live?.warnings[l] ?? 0}</b></div>
            ))}
          </div>
        </section>
        <section className="bs-centre">
          <div className="bs-panel-title">{t('cc.mapByOpen')}</div>
          <Chart testId="screen-map" height={620} option={mapOption ?? (month.data ? {
            grid: { left: 120, right: 24, top: 16, bottom: 32 }, xAxis: { type: 'value', ...axis }, yAxis: { type: 'category', data: month.data.breakdowns.area.map((a) => a.label), ...axis },
            series: [{ type: 'bar', data: month.data.breakdowns.area.map((a) => a.open), itemStyle: { color: '#f5a623' } }],
          } : null)} />
          <div className="bs-panel-title">{t('cc.trend')}</div>
          <Chart testId="screen-trend" height={260} option={live ? {
            grid: { left: 48, right: 24, top: 16, bottom: 32 }, tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: live.trend.map((d) => d.day.slice(5)), ...axis }, yAxis: { type: 'value', minInterval: 1, ...axis },
            series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.2 }, data: live.trend.map((d) => d.n), lineStyle: { width: 3 } }],
          } : null} />
        </section>
        <section className="bs-col bs-right">
          <div className="bs-panel-title">{t('cc.by.category')}</div>
          <Chart testId="screen-categories" height={260} option={{
            tooltip: { trigger: 'item' },
            series: [{ type: 'pie', radius: ['35%', '70%'], label: { color: TEXT, fontSize: 14 }, data: categories.map((c) => ({ name: c.label, value: c.n })) }],
          }} />
          <div className="bs-panel-title">{t('cc.ranking')}</div>
          <ol className="bs-ranking" data-testid="screen-ranking">
            {(ranking.data?.items ?? []).slice(0, 6).map((r) => (
              <li key={r.unitId} className={r.rank ? '' : 'bs-unranked'}><span>{r.name}</span><b>{r.rank ? r.score : t('cc.tooFew')}</b></li>
            ))}
          </ol>
          <div className="bs-panel-title">{t('cc.latest')}</div>
          <ul className="bs-warnings" data-testid="screen-warnings">
            {(live?.latest ?? []).map((w) => <li key={w.id}><i style={{ background: LEVEL_COLOURS[w.level] }} />{w.title}</li>)}
          </ul>
          <div className="bs-channels">{month.data?.breakdowns.channel.slice(0, 4).map((c) => <span key={c.key}>{L('channel', c.key)} {c.n}</span>)}</div>
        </section>
      </main>
    </div>
  );
}
