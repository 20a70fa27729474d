import type { Category } from '@fengqiao/contracts';

type CategoryT = Category;
export interface TreeNode { value: number; title: string; label: string; children?: TreeNode[]; selectable?: boolean; isLeaf?: boolean }

export function categoryTree(items: CategoryT[], locale: string, opts: { activeOnly?: boolean; groupsSelectable?: boolean } = {}): TreeNode[] {
  const name = (c: CategoryT) => (locale === 'zh-CN' ? c.name : c.nameEn);
  const visible = items.filter((c) => !opts.activeOnly || c.active);
  return visible.filter((c) => c.parentId === null).map((g) => ({
    value: g.id, title: name(g), label: name(g), selectable: Boolean(opts.groupsSelectable),
    children: visible.filter((c) => c.parentId === g.id).map((c) => ({ value: c.id, title: name(c), label: name(c), isLeaf: true })),
  }));
}
