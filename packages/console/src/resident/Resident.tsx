import { lazy, Suspense, useContext, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Cascader, Form, Input, Select, Space, Spin, Tag, Typography } from 'antd';
import type { PublicPlace } from '@fengqiao/contracts';
import { publicApi } from './public-api.ts';
import { I18nContext, useT } from '../i18n.ts';
import { errorText } from '../util.ts';
import { match, navigate, useLocation } from '../router.ts';
import { trackingPath } from '@fengqiao/contracts/links';
import { myReports } from './my-reports.ts';

// the tracking page loads on its own: a QR code's first screen is the report form alone
const Track = lazy(() => import('./Track.tsx'));
const Lookup = lazy(() => import('./Lookup.tsx'));
import { categoryTree } from '../category-tree.ts';
import type { Category, TriageSuggestions } from '@fengqiao/contracts';

export function Resident() {
  const t = useT();
  const { locale, setLocale } = useContext(I18nContext);
  const { path, query } = useLocation();
  const tracked = match('/m/track/:number', path);
  const lookup = !tracked && /^\/m\/track\/?$/.test(path);
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', minHeight: '100vh' }}>
      <div style={{ background: '#b22222', color: '#fff', padding: '12px 16px', display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <b>{t('m.title')}</b>
        <Button size="small" onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid="language">{t('menu.language')}</Button>
      </div>
      <div style={{ padding: 12 }}>
        {tracked ? <Suspense fallback={<Spin style={{ width: '100%', marginTop: 48 }} />}><Track number={tracked.number!} secret={query.get('s') ?? ''} /></Suspense>
          : lookup ? <Suspense fallback={<Spin style={{ width: '100%', marginTop: 48 }} />}><Lookup /></Suspense>
            : <Report placeCode={query.get('place')} />}
      </div>
    </div>
  );
}

interface AreaOption { value: number; label: string; isLeaf: boolean; children?: AreaOption[] }

function Report({ placeCode }: { placeCode: string | null }) {
  const t = useT();
  const { locale } = useContext(I18nContext);
  const [form] = Form.useForm();
  const [categories, setCategories] = useState<Category[]>([]);
  const [place, setPlace] = useState<PublicPlace | null | undefined>(placeCode ? undefined : null);
  const [areas, setAreas] = useState<AreaOption[]>([]);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [point, setPoint] = useState<{ lon: number; lat: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => crypto.randomUUID(), []);
  // what the description sounds like: the likely categories to tap, the first chosen when the model is confident
  const description = Form.useWatch('description', form) as string | undefined;
  const chosen = Form.useWatch('categoryId', form) as number | undefined;
  const [hint, setHint] = useState<TriageSuggestions['categories']>([]);
  const [categoryTouched, setCategoryTouched] = useState(false);
  useEffect(() => {
    const text = description?.trim() ?? '';
    if (text.length < 4) { setHint([]); return; }
    let live = true;
    const timer = setTimeout(() => {
      publicApi.suggest(text).then((r) => {
        if (!live) return;
        setHint(r.categories);
        if (!categoryTouched && r.categories[0]?.confident) form.setFieldsValue({ categoryId: r.categories[0].id });
      }, () => { if (live) setHint([]); });
    }, 600);
    return () => { live = false; clearTimeout(timer); };
  }, [description, categoryTouched]);

  useEffect(() => {
    publicApi.categories().then((r) => setCategories(r.items)).catch(() => {});
    if (placeCode) publicApi.place(placeCode).then(setPlace).catch((e) => { setPlace(null); setError(errorText(e)); });
    else publicApi.areas().then((r) => setAreas(r.items.map((a) => ({ value: a.id, label: a.name, isLeaf: !a.hasChildren })))).catch(() => {});
  }, [placeCode]);
  const loadAreas = async (opts: AreaOption[]) => {
    const target = opts[opts.length - 1]!;
    const r = await publicApi.areas(target.value);
    target.children = r.items.map((a) => ({ value: a.id, label: a.name, isLeaf: !a.hasChildren }));
    setAreas((x) => [...x]);
  };

  if (place === undefined) return <Spin style={{ width: '100%', marginTop: 48 }} />;
  const submit = async (v: { area?: number[]; categoryId: number; description: string; phone?: string; name?: string }) => {
    setBusy(true);
    setError(null);
    try {
      if (photos.some((p) => p.state === 'uploading')) throw new Error(t('m.uploading'));
      const ids = photos.flatMap((p) => (p.id ? [p.id] : []));
      const r = await publicApi.report({
          channel: place ? 'qr_code' : 'mobile_web', categoryId: v.categoryId, description: v.description.trim(),
          ...(place ? { placeCode: place.code } : { areaId: v.area![v.area!.length - 1]! }),
          ...(point ? { location: { ...point, crs: 'wgs84' as const } } : {}),
          ...(v.phone?.trim() || v.name?.trim() ? { reporter: { ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}), ...(v.name?.trim() ? { name: v.name.trim() } : {}) } } : {}),
          ...(ids.length ? { attachmentIds: ids } : {}),
      }, key);
      const mine = myReports().filter((m) => m.number !== r.number);
      localStorage.setItem('fq.myReports', JSON.stringify([{ number: r.number, secret: r.trackingSecret }, ...mine].slice(0, 20)));
      navigate(`${trackingPath(r.number, r.trackingSecret)}&new=1`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('m.reportTitle')} size="small">
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="m-error" />}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="m-form">
        {place ? (
          <Form.Item label={t('m.place')}><div data-testid="m-place">{place.areaTrail.join(' / ')}</div></Form.Item>
        ) : (
          <Form.Item name="area" label={t('m.area')} rules={[{ required: true, message: t('field.required', { field: t('m.area') }) }]}>
            <Cascader options={areas} loadData={(o) => loadAreas(o as AreaOption[])} changeOnSelect data-testid="m-area" />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('m.description')} rules={[{ required: true, whitespace: true, min: 2, message: t('intake.descriptionRule') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('m.descriptionHint')} data-testid="m-description" />
        </Form.Item>
        <Form.Item name="categoryId" label={t('case.category')} rules={[{ required: true, message: t('field.required', { field: t('case.category') }) }]}>
          <Select data-testid="m-category" onChange={() => setCategoryTouched(true)} options={categoryTree(categories, locale, { activeOnly: true }).map((g) => ({ label: g.title, title: g.title, options: (g.children ?? []).map((c) => ({ value: c.value, label: c.title })) }))} />
        </Form.Item>
        {hint.length > 0 && (
          <div style={{ margin: '-12px 0 16px' }} data-testid="m-triage">
            <Typography.Text type="secondary">{t('m.triage')}</Typography.Text>
            {hint.map((c) => (
              <Tag.CheckableTag key={c.id} checked={chosen === c.id} data-testid={`m-triage-${c.code}`}
                onChange={() => { form.setFieldsValue({ categoryId: c.id }); setCategoryTouched(true); }}>
                {locale === 'en-US' ? c.nameEn : c.name}
              </Tag.CheckableTag>
            ))}
          </div>
        )}
        <Form.Item label={t('m.photos')}>
          <PhotoPicker photos={photos} setPhotos={setPhotos} />
        </Form.Item>
        <Form.Item label={t('m.location')}>
          <Space>
            <Button onClick={() => navigator.geolocation?.getCurrentPosition((p) => setPoint({ lon: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)) }), () => setError(t('intake.noLocation')), { timeout: 10_000 })}>{t('m.shareLocation')}</Button>
            {point && <Typography.Text type="secondary" data-testid="m-point">{point.lon}, {point.lat}</Typography.Text>}
          </Space>
        </Form.Item>
        <Form.Item name="phone" label={t('m.phone')} extra={t('m.phoneHint')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('intake.phoneRule') }]}>
          <Input inputMode="tel" maxLength={11} data-testid="m-phone" />
        </Form.Item>
        <Form.Item name="name" label={t('m.name')}><Input maxLength={50} /></Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="m-submit">{t('m.submit')}</Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>{t('m.privacy')}</Typography.Paragraph>
      <Button type="link" onClick={() => navigate('/m/track')} style={{ paddingLeft: 0 }} data-testid="m-lookup-link">{t('m.lookupLink')}</Button>
    </Card>
  );
}


interface Photo { key: string; name: string; url: string; state: 'uploading' | 'done' | 'error'; id?: string; error?: string }

/**
 * The phone's own picker (camera or album) instead of an upload widget: lighter, and it opens the camera
 * directly. Each photo is uploaded at once; the server checks its type and size and says why it refuses one.
 */
function PhotoPicker({ photos, setPhotos }: { photos: Photo[]; setPhotos: (f: (p: Photo[]) => Photo[]) => void }) {
  const t = useT();
  const add = (list: FileList | null) => {
    for (const file of Array.from(list ?? []).slice(0, 9 - photos.length)) {
      const key = crypto.randomUUID();
      setPhotos((p) => [...p, { key, name: file.name, url: URL.createObjectURL(file), state: 'uploading' }]);
      publicApi.upload(file)
        .then((r) => setPhotos((p) => p.map((x) => (x.key === key ? { ...x, state: 'done', id: r.id } : x))))
        .catch((e) => setPhotos((p) => p.map((x) => (x.key === key ? { ...x, state: 'error', error: errorText(e) } : x))));
    }
  };
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }} data-testid="m-photos">
      {photos.map((p) => (
        <div key={p.key} style={{ width: 80, textAlign: 'center', fontSize: 12 }} data-testid="m-photo-item" data-state={p.state}>
          <img src={p.url} alt={p.name} style={{ width: 80, height: 80, objectFit: 'cover', borderRadius: 6, opacity: p.state === 'uploading' ? 0.5 : 1, border: p.state === 'error' ? '2px solid #cf1322' : undefined }} />
          {p.state === 'error' && <div style={{ color: '#cf1322' }}>{p.error}</div>}
          <a onClick={() => setPhotos((x) => x.filter((y) => y.key !== p.key))}>{t('common.delete')}</a>
        </div>
      ))}
      {photos.length < 9 && (
        <label style={{ width: 80, height: 80, border: '1px dashed #bbb', borderRadius: 6, display: 'flex', alignItems: 'center', justifyContent: 'center', cursor: 'pointer', background: '#fff', textAlign: 'center' }}>
          + {t('m.addPhoto')}
          <input type="file" accept="image/jpeg,image/png,image/webp" multiple style={{ display: 'none' }} data-testid="m-photo-input"
            onChange={(e) => { add(e.target.files); e.target.value = ''; }} />
        </label>
      )}
    </div>
  );
}
