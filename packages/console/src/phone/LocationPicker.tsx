import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import * as echarts from 'echarts/core';
import { MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { AreaMap, GridLookup } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';
import { useAsync } from '../util.ts';
import { currentPosition } from '../geolocation.ts';

echarts.use([MapChart, ScatterChart, GeoComponent, SVGRenderer]);

export interface Spot { lon: number; lat: number; grid: GridLookup['grid'] }

/**
 * Where the grid worker stands: the phone's fix (the W3C Geolocation API answers in WGS-84, the coordinates the
 * registry keeps; a GCJ-02 or BD-09 point is converted by the server, which takes the system with the point),
 * shown on the worker's grids and moved by tapping the map; the grid that contains the spot is named.
 */
export function LocationPicker({ value, onChange }: { value: Spot | null; onChange: (s: Spot | null) => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const map = useAsync(() => api.call('areaMap', { query: {} }), []);
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  const place = async (lon: number, lat: number) => {
    const r = await api.call('gridLookup', { query: { lon, lat, crs: 'wgs84' } }).catch(() => null);
    onChange({ lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)), grid: r?.grid ?? null });
  };
  const locate = () => {
    setBusy(true);
    currentPosition({ precise: true }).then(
      (p) => { setBusy(false); setError(null); void place(p.lon, p.lat); },
      () => { setBusy(false); setError(t('patrol.noLocation')); });
  };

  useEffect(() => {
    const data = map.data;
    if (!data?.features.length || !el.current) return undefined;
    const c = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = c;
    draw(c, data, value);
    // a tap anywhere on the map moves the spot there
    c.getZr().on('click', (e) => {
      const at = c.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      if (at && Number.isFinite(at[0]) && Number.isFinite(at[1])) void place(at[0]!, at[1]!);
    });
    return () => { c.dispose(); chart.current = null; };
  }, [map.data]);
  useEffect(() => { if (chart.current && map.data) draw(chart.current, map.data, value); }, [value]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button block onClick={locate} loading={busy} data-testid="patrol-locate">{busy ? t('patrol.locating') : t('patrol.locate')}</Button>
      {error && <Alert type="warning" title={error} />}
      <Typography.Text type={value ? undefined : 'secondary'} data-testid="patrol-spot">
        {value ? t('patrol.fix', { lon: value.lon.toFixed(6), lat: value.lat.toFixed(6) }) : t('patrol.noFix')}
      </Typography.Text>
      {value && (value.grid
        ? <Typography.Text type="success" data-testid="patrol-grid">{t('patrol.inGrid', { name: value.grid.name })}</Typography.Text>
        : <Typography.Text type="warning" data-testid="patrol-outside">{t('patrol.outsideGrid')}</Typography.Text>)}
      {Boolean(map.data?.features.length) && (
        <>
          <div ref={el} style={{ width: '100%', height: 220, background: '#fff', borderRadius: 6 }} data-testid="patrol-map" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('patrol.mapHint')}</Typography.Text>
        </>
      )}
    </Space>
  );
}

function draw(chart: echarts.ECharts, data: AreaMap, spot: Spot | null) {
  const name = `fq-patrol-${data.area.id}`;
  echarts.registerMap(name, { type: 'FeatureCollection', features: data.features.map((f) => ({ ...f, properties: { ...f.properties, name: String(f.properties.id) } })) } as never);
  chart.setOption({
    geo: { map: name, roam: true, silent: true, itemStyle: { areaColor: '#f0f5ff', borderColor: '#597ef7', borderWidth: 1 }, emphasis: { disabled: true } },
    series: [{ type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', symbolSize: 30, itemStyle: { color: '#b22222' }, data: spot ? [[spot.lon, spot.lat]] : [] }],
  }, true);
}
