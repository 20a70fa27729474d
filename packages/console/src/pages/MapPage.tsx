import { useEffect, useRef, useState } from 'react';
import { Alert, Card, Segmented, Space, Spin } from 'antd';
import * as echarts from 'echarts/core';
import { MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, VisualMapComponent, GraphicComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { AreaMap, Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { AreaTreeSelect } from '../components.tsx';
import { errorText, useAsync } from '../util.ts';

echarts.use([MapChart, ScatterChart, GeoComponent, TooltipComponent, VisualMapComponent, GraphicComponent, SVGRenderer]);

/** Web-Mercator tile numbers of a lon/lat at zoom z, and back (for the optional tile layer). */
const tileX = (lon: number, z: number) => ((lon + 180) / 360) * 2 ** z;
const tileY = (lat: number, z: number) => ((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z;
const tileLon = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const tileLat = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;

/**
 * 防控地图: the grids of an area drawn from their stored GeoJSON with ECharts' geo component (no tile
 * server needed), coloured by open cases or by high-attention people, with open cases clustered on top.
 * When the installation configures a tile layer (MAP_TILE_URL, e.g. 天地图), its tiles are laid underneath.
 */
export default function MapPage({ me }: { me: Me }) {
  const t = useT();
  const { query } = useLocation();
  const areaId = Number(query.get('area')) || undefined;
  const [measure, setMeasure] = useState<'openCases' | 'highAttention'>('openCases');
  const { data, error } = useAsync(() => api.call('areaMap', { query: areaId ? { areaId } : {} }), [areaId]);
  const el = useRef<HTMLDivElement>(null);
  const canRisk = me.permissions.includes('registry.read');

  useEffect(() => {
    if (!data || !el.current || !data.features.length) return undefined;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    draw(chart, data, measure, t);
    // a grid's region (the geo component or the map series) opens the grid's page
    chart.on('click', (p) => { const id = Number((p.data as { id?: number } | undefined)?.id ?? p.name); if (id) navigate(`/grids/${id}`); });
    const onResize = () => { chart.resize(); draw(chart, data, measure, t); };
    window.addEventListener('resize', onResize);
    return () => { window.removeEventListener('resize', onResize); chart.dispose(); };
  }, [data, measure]);

  return (
    <Card title={`${t('menu.map')}${data ? ` · ${data.area.name}` : ''}`} extra={
      <Space>
        <AreaTreeSelect me={me} value={areaId} onChange={(v) => navigate(v ? `/map?area=${v}` : '/map')} placeholder={t('registry.area')} />
        {canRisk && <Segmented value={measure} onChange={(v) => setMeasure(v as typeof measure)} options={[{ value: 'openCases', label: t('map.byCases') }, { value: 'highAttention', label: t('map.byRisk') }]} />}
      </Space>
    }>
      {error ? <Alert type="error" title={errorText(error)} />
        : !data ? <Spin style={{ width: '100%', marginTop: 48 }} />
          : !data.features.length ? <Alert type="info" title={t('map.noGrids')} />
            : <div ref={el} style={{ width: '100%', height: 'calc(100vh - 220px)', minHeight: 420 }} data-testid="map" data-grids={data.features.length} data-clusters={data.clusters.length} />}
    </Card>
  );
}

function draw(chart: echarts.ECharts, data: AreaMap, measure: 'openCases' | 'highAttention', t: ReturnType<typeof useT>) {
  const mapName = `fq-${data.area.id}`;
  // features are keyed by id: grid names repeat across villages
  echarts.registerMap(mapName, { type: 'FeatureCollection', features: data.features.map((f) => ({ ...f, properties: { ...f.properties, name: String(f.properties.id) } })) } as never);
  const values = data.features.map((f) => f.properties[measure]);
  const max = Math.max(1, ...values);
  chart.setOption({
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesType: string; data?: { label?: string; openCases?: number; highAttention?: number; value?: number[] } }) => (p.seriesType === 'scatter'
        ? t('map.cluster', { n: p.data?.value?.[2] ?? 0 })
        : `${p.data?.label ?? ''}<br/>${t('grid.openCases')}${t('common.colon')}${p.data?.openCases ?? 0}${p.data?.highAttention !== undefined ? `<br/>${t('map.highAttention')}${t('common.colon')}${p.data.highAttention}` : ''}`),
    },
    visualMap: { min: 0, max, seriesIndex: 0, calculable: true, left: 8, bottom: 8, inRange: { color: measure === 'openCases' ? ['#f0f9e8', '#fdae61', '#d7191c'] : ['#f7fbff', '#9ecae1', '#08519c'], ...(data.tileUrl ? { opacity: [0.3, 0.7] } : {}) }, text: [String(max), '0'] },
    geo: { map: mapName, roam: !data.tileUrl, itemStyle: { borderColor: '#555', borderWidth: 0.6 }, emphasis: { label: { show: false } } },
    series: [
      {
        type: 'map', geoIndex: 0, name: 'grids',
        data: data.features.map((f) => ({ name: String(f.properties.id), id: f.properties.id, label: f.properties.name, value: f.properties[measure], openCases: f.properties.openCases, highAttention: f.properties.highAttention })),
      },
      {
        type: 'scatter', coordinateSystem: 'geo', name: 'cases', z: 5,
        symbolSize: (v: number[]) => 8 + Math.sqrt(v[2]!) * 6, itemStyle: { color: '#b22222', opacity: 0.85 },
        label: { show: true, formatter: (p: { value: number[] }) => (p.value[2]! > 1 ? String(p.value[2]) : ''), color: '#fff', fontSize: 10 },
        data: data.clusters.map((c) => ({ value: [c.lon, c.lat, c.count] })),
      },
    ],
  }, true);
  if (data.tileUrl && data.bbox) tiles(chart, data.tileUrl, data.bbox as [number, number, number, number]);
}

/** Lays the configured tiles under the grids (fixed view: the area's bounding box). */
function tiles(chart: echarts.ECharts, url: string, [x0, y0, x1, y1]: [number, number, number, number]) {
  const width = chart.getWidth();
  let z = 18;
  while (z > 3 && (tileX(x1, z) - tileX(x0, z)) * 256 > width * 1.5) z--;
  const elements = [];
  for (let tx = Math.floor(tileX(x0, z)); tx <= Math.floor(tileX(x1, z)); tx++) {
    for (let ty = Math.floor(tileY(y1, z)); ty <= Math.floor(tileY(y0, z)); ty++) {
      const a = chart.convertToPixel({ geoIndex: 0 }, [tileLon(tx, z), tileLat(ty, z)]) as number[];
      const b = chart.convertToPixel({ geoIndex: 0 }, [tileLon(tx + 1, z), tileLat(ty + 1, z)]) as number[];
      elements.push({ type: 'image', z: -10, silent: true, style: { image: url.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty)), x: a[0], y: a[1], width: b[0]! - a[0]!, height: b[1]! - a[1]!, opacity: 0.9 } });
    }
  }
  chart.setOption({ graphic: { elements } });
}
