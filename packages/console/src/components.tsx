import { useState } from 'react';
import { Cascader, Tag, TreeSelect } from 'antd';
import type { Me } from '@fengqiao/contracts';
import { api } from './api.ts';
import { useLabel, useT } from './i18n.ts';
import { formatTime } from './util.ts';

interface AreaNode { value: number; label: string; title: string; isLeaf: boolean; children?: AreaNode[] }
const toNode = (a: { id: number; name: string; level: string }): AreaNode => ({ value: a.id, label: a.name, title: a.name, isLeaf: a.level === 'grid' });

async function childrenOf(parentId: number): Promise<AreaNode[]> {
  const r = await api.call('listAreas', { query: { parentId, limit: 500 } });
  return r.items.map(toNode);
}

function useAreaRoot(me: Me) {
  const [nodes, setNodes] = useState<AreaNode[]>([{ value: me.area.id, label: me.area.name, title: me.area.name, isLeaf: me.area.level === 'grid' }]);
  const load = async (target: AreaNode) => {
    if (target.children) return;
    const kids = await childrenOf(target.value);
    target.children = kids;
    if (!kids.length) target.isLeaf = true;
    setNodes((n) => [...n]);
  };
  return { nodes, load };
}

/** The user's jurisdiction as a tree that opens one level at a time (a county has thousands of grids). */
export function AreaTreeSelect({ me, value, onChange, placeholder, testId }: { me: Me; value?: number; onChange?: (v: number | undefined) => void; placeholder?: string; testId?: string }) {
  const { nodes, load } = useAreaRoot(me);
  return (
    <TreeSelect<number> value={value} onChange={(v) => onChange?.(v)} allowClear placeholder={placeholder} style={{ minWidth: 180 }}
      treeData={nodes} loadData={(n) => load(n as unknown as AreaNode)} treeNodeFilterProp="title" data-testid={testId} />
  );
}

/** The area cascader of the intake form: any level may be chosen, the deepest known is best. */
export function AreaCascader({ me, value, onChange, testId }: { me: Me; value?: number[]; onChange?: (v: number[]) => void; testId?: string }) {
  const { nodes, load } = useAreaRoot(me);
  return (
    <Cascader options={nodes} value={value} changeOnSelect style={{ width: '100%' }} data-testid={testId}
      loadData={(opts) => load(opts[opts.length - 1] as unknown as AreaNode)} onChange={(v) => onChange?.((v ?? []) as number[])} />
  );
}

const stateColor: Record<string, string> = { running: 'green', met: 'green', due_soon: 'gold', overdue: 'red', missed: 'red', paused: 'default', not_started: 'default' };
/** A deadline clock: green while time remains, yellow when it is close, red when it has run out. */
export function ClockTag({ name, clock }: { name: 'contact' | 'handle' | 'reply'; clock: { dueAt: string | null; state: string; left?: { overdue: boolean; workingDays: number; hours: number } | null } }) {
  const L = useLabel();
  const t = useT();
  const l = clock.left;
  // what is left (or how far past) in working days when there is at least one, otherwise in hours; the due time on hover
  const left = l ? t(`clock.${l.overdue ? 'over' : 'left'}.${l.workingDays >= 1 ? 'days' : 'hours'}`, { n: l.workingDays >= 1 ? l.workingDays : l.hours }) : null;
  const due = clock.dueAt && !['met', 'not_started'].includes(clock.state) ? formatTime(clock.dueAt) : null;
  return (
    <Tag color={stateColor[clock.state] ?? 'default'} data-testid={`clock-${name}`} data-state={clock.state} title={due ?? undefined}>
      {L('clock', name)} · {left ?? L('clockState', clock.state)}{!left && due ? ` · ${due}` : ''}
    </Tag>
  );
}

const statusColor: Record<string, string> = {
  pending_acceptance: 'blue', pending_dispatch: 'blue', pending_signoff: 'cyan', in_progress: 'processing', suspended: 'default',
  ruling: 'orange', replied: 'purple', closed: 'green', archived: 'default', rejected: 'default', merged: 'default',
};
export function StatusTag({ status }: { status: string }) {
  const L = useLabel();
  return <Tag color={statusColor[status] ?? 'default'} data-testid="status" data-status={status}>{L('status', status)}</Tag>;
}

export { errorText, useAsync } from './util.ts';
