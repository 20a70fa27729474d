import { useEffect, useState } from 'react';
import { publicApi } from './public-api.ts';
import { useT } from './i18n.ts';

interface Option { id: number; name: string; hasChildren: boolean }
const style = { width: '100%', height: 40, padding: '0 8px', border: '1px solid #d9d9d9', borderRadius: 6, background: '#fff', fontSize: 16, color: 'inherit' } as const;

/**
 * Where the problem is, level by level, in the phone's own pickers (one native select per level: the phone shows
 * its wheel or list, nothing runs off the screen, and nothing heavy loads). A form control: the chosen path of ids.
 */
export function AreaPicker({ value, onChange }: { value?: number[]; onChange?: (v: number[]) => void }) {
  const t = useT();
  const chosen = value ?? [];
  const [levels, setLevels] = useState<Option[][]>([]);
  useEffect(() => { publicApi.areas().then((r) => setLevels([r.items])).catch(() => {}); }, []);
  const choose = async (depth: number, id: number) => {
    const next = [...chosen.slice(0, depth), ...(id ? [id] : [])];
    onChange?.(next);
    const kept = levels.slice(0, depth + 1);
    const picked = kept[depth]?.find((o) => o.id === id);
    if (picked?.hasChildren) {
      const r = await publicApi.areas(id);
      setLevels([...kept, r.items]);
    } else {
      setLevels(kept);
    }
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="m-area">
      {levels.map((options, depth) => (
        <select key={depth} style={style} value={chosen[depth] ?? ''} onChange={(e) => void choose(depth, Number(e.target.value))} data-testid={`m-area-${depth}`}
          aria-label={t('m.area')}>
          <option value="">{depth === 0 ? t('m.areaChoose') : t('m.areaWithin')}</option>
          {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      ))}
    </div>
  );
}
