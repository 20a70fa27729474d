import { useState } from 'react';
import { Card, Tag, Tree } from 'antd';
import type { Area, Me } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';

interface Node { key: string; title: React.ReactNode; isLeaf: boolean; children?: Node[] }

/** The jurisdiction as a tree, loaded one level at a time. */
export default function AreasPage({ me }: { me: Me }) {
  const t = useT();
  const toNode = (a: Area): Node => ({
    key: String(a.id), isLeaf: a.level === 'grid',
    title: <span>{a.name} <Tag>{t(`area.${a.level}` as MessageKey)}</Tag>{a.code && <span style={{ color: '#999' }}>{a.code}</span>}</span>,
  });
  const [tree, setTree] = useState<Node[]>([toNode(me.area)]);
  const attach = (nodes: Node[], key: string, children: Node[]): Node[] =>
    nodes.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: attach(n.children, key, children) } : n));
  return (
    <Card title={t('menu.areas')}>
      <Tree treeData={tree} data-testid="area-tree" loadData={async (node) => {
        const items: Area[] = [];
        let cursor: string | undefined;
        do {
          const page = await api.call('listAreas', { query: { parentId: Number(node.key), limit: 500, ...(cursor ? { cursor } : {}) } });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        setTree((old) => attach(old, String(node.key), items.map(toNode)));
      }} />
    </Card>
  );
}
