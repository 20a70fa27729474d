import { lazy, Suspense, useContext, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Form, Input, Space, Spin, Tag } from 'antd';
import type { PublicPlace } from '@fengqiao/contracts';
import { publicApi } from './public-api.ts';
import { I18nContext } from '../i18n-core.ts';
import { useT } from './i18n.ts';
import { errorText } from '../util.ts';
import { match, navigate, useLocation } from '../router.ts';
import { trackingPath } from '@fengqiao/contracts/links';
import { myReports } from './my-reports.ts';
import { AreaPicker } from './AreaPicker.tsx';

// the tracking page loads on its own: a QR code's first screen is the report form alone
const Track = lazy(() => import('./Track.tsx'));
const Lookup = lazy(() => import('./Lookup.tsx'));
const CategorySelect = lazy(() => import('./CategorySelect.tsx'));
import { categoryTree } from '../category-tree.ts';
import type { Category, TriageSuggestions } from '@fengqiao/contracts';
import { currentPosition } from '../geolocation.ts';

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

/** The category picker as a form control, a disabled field standing in while it loads. */
function LazyCategory({ id, groups, value, onChange, onPick }: { id?: string; groups: { title: string; children: { value: number; title: string }[] }[]; value?: number; onChange?: (v: number) => void; onPick: () => void }) {
  // the form item's id reaches the input, so that its label names it for a screen reader
  return (
    <Suspense fallback={<Input id={id} disabled />}>
      <CategorySelect id={id} groups={groups} value={value} onChange={(v) => { onPick(); onChange?.(v); }} />
    </Suspense>
  );
}

/** Secondary text, without the typography component (the first screen stays small). */
const secondary = { color: 'rgba(0, 0, 0, 0.6)' } as const; // 5.7:1 on white (WCAG AA asks 4.5:1)

function Report({ placeCode }: { placeCode: string | null }) {
  const t = useT();
  const { locale } = useContext(I18nContext);
  const [form] = Form.useForm();
  const [categories, setCategories] = useState<Category[]>([]);
  const [popular, setPopular] = useState<number[]>([]);
  const [place, setPlace] = useState<PublicPlace | null | undefined>(placeCode ? undefined : null);
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
    publicApi.categories().then((r) => { setCategories(r.items); setPopular(r.popular); }).catch(() => {});
    if (placeCode) publicApi.place(placeCode).then(setPlace).catch((e) => { setPlace(null); setError(errorText(e)); });
  }, [placeCode]);

  // the form shows at once: a QR code's place is named when its answer comes, and the resident can type meanwhile
  const byPlace = Boolean(placeCode) && place !== null;
  const submit = async (v: { area?: number[]; categoryId: number; description: string; phone?: string; name?: string }) => {
    setBusy(true);
    setError(null);
    try {
      if (photos.some((p) => p.state === 'uploading')) throw new Error(t('m.uploading'));
      const ids = photos.flatMap((p) => (p.id ? [p.id] : []));
      const r = await publicApi.report({
          channel: byPlace ? 'qr_code' : 'mobile_web', categoryId: v.categoryId, description: v.description.trim(),
          ...(byPlace ? { placeCode: place?.code ?? placeCode! } : { areaId: v.area![v.area!.length - 1]! }),
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
    // a plain panel: antd's Card brings its tabs, menus and dropdowns along, a fifth of the page's weight
    <section style={{ background: '#fff', borderRadius: 8, border: '1px solid #f0f0f0' }}>
      <h1 style={{ margin: 0, padding: '10px 12px', fontSize: 16, fontWeight: 600, borderBottom: '1px solid #f0f0f0' }} data-testid="m-report-title">{t('m.reportTitle')}</h1>
      <div style={{ padding: 12 }}>
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="m-error" />}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="m-form">
        {byPlace ? (
          <Form.Item label={t('m.place')}><div data-testid="m-place">{place ? place.areaTrail.join(' / ') : <Spin size="small" />}</div></Form.Item>
        ) : (
          <Form.Item name="area" label={t('m.area')} rules={[{ required: true, message: t('field.required', { field: t('m.area') }) }]}>
            <AreaPicker />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('m.description')} rules={[{ required: true, whitespace: true, min: 2, message: t('intake.descriptionRule') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('m.descriptionHint')} data-testid="m-description" />
        </Form.Item>
        <Form.Item name="categoryId" label={t('case.category')} rules={[{ required: true, message: t('field.required', { field: t('case.category') }) }]}>
          <LazyCategory groups={withPopularFirst(categoryTree(categories, locale, { activeOnly: true }).map((g) => ({ title: g.title, children: g.children ?? [] })), popular, t('m.popular'))} onPick={() => setCategoryTouched(true)} />
        </Form.Item>
        {hint.length > 0 && (
          <div style={{ margin: '-12px 0 16px' }} data-testid="m-triage">
            <span style={secondary}>{t('m.triage')}</span>
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
            <Button onClick={() => currentPosition().then(setPoint, () => setError(t('intake.noLocation')))}>{t('m.shareLocation')}</Button>
            {point && <span style={secondary} data-testid="m-point">{point.lon}, {point.lat}</span>}
          </Space>
        </Form.Item>
        <Form.Item name="phone" label={t('m.phone')} extra={t('m.phoneHint')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('intake.phoneRule') }]}>
          <Input inputMode="tel" maxLength={11} data-testid="m-phone" />
        </Form.Item>
        <Form.Item name="name" label={t('m.name')}><Input maxLength={50} /></Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="m-submit">{t('m.submit')}</Button>
      </Form>
      <p style={{ ...secondary, marginTop: 12, fontSize: 12 }}>{t('m.privacy')}</p>
      <Button type="link" onClick={() => navigate('/m/track')} style={{ paddingLeft: 0 }} data-testid="m-lookup-link">{t('m.lookupLink')}</Button>
      </div>
    </section>
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

/** What residents report most comes first, in a group of its own (moved there, so that no category shows twice). */
function withPopularFirst(groups: { title: string; children: { value: number; title: string }[] }[], popular: number[], title: string) {
  const leaves = new Map(groups.flatMap((g) => g.children.map((c) => [c.value, c] as const)));
  const top = popular.map((id) => leaves.get(id)).filter((c): c is { value: number; title: string } => Boolean(c));
  if (!top.length) return groups;
  const moved = new Set(top.map((c) => c.value));
  return [{ title, children: top }, ...groups.map((g) => ({ ...g, children: g.children.filter((c) => !moved.has(c.value)) })).filter((g) => g.children.length)];
}
