import { Select } from 'antd';

export interface CategoryGroup { title: string; children: { value: number; title: string }[] }

/**
 * The category picker, loaded after the form shows (the select component is a sixth of the page's weight and the
 * resident types the description first): grouped, searchable by name.
 */
export default function CategorySelect({ id, groups, value, onChange }: { id?: string; groups: CategoryGroup[]; value?: number; onChange?: (v: number) => void }) {
  return (
    <Select<number> id={id} data-testid="m-category" value={value} onChange={onChange} showSearch={{ optionFilterProp: 'label' }}
      options={groups.map((g) => ({ label: g.title, title: g.title, options: g.children.map((c) => ({ value: c.value, label: c.title })) }))} />
  );
}
