import { useContext, useEffect, useMemo, useState } from 'react';
import { I18nContext } from './i18n-core.ts';
import type { Category } from '@fengqiao/contracts';
import { api } from './api.ts';

type CategoryT = Category;

let categoriesPromise: Promise<CategoryT[]> | null = null;
/** The category tree, loaded once per page view (administrators' edits reload it). */
export function useCategories(publicOnly = false) {
  const [items, setItems] = useState<CategoryT[]>([]);
  useEffect(() => {
    const p = publicOnly
      ? api.call('publicCategories').then((r) => r.items)
      : (categoriesPromise ??= api.call('listCategories').then((r) => r.items));
    p.then(setItems).catch(() => { categoriesPromise = null; });
  }, [publicOnly]);
  return items;
}

/** A case's category in the user's language: the English name from the category list under en-US, else the case's own. */
export function useCategoryName() {
  const { locale } = useContext(I18nContext);
  const items = useCategories();
  const english = useMemo(() => new Map(items.map((c) => [c.id, c.nameEn])), [items]);
  return (c: { id: number; name: string }) => (locale === 'en-US' ? english.get(c.id) ?? c.name : c.name);
}
export const reloadCategories = () => { categoriesPromise = null; };

export { categoryTree } from './category-tree.ts';
