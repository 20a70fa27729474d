import { useEffect, useState } from 'react';
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
export const reloadCategories = () => { categoriesPromise = null; };

export { categoryTree } from './category-tree.ts';
