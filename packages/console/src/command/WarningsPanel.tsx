import { useState } from 'react';
import { Alert, App, Button, Card, Input, List, Modal, Space, Tag, Typography } from 'antd';
import type { Me, Warning } from '@fengqiao/contracts';
import { api } from '../api.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { errorText, useAsync, formatTime } from '../util.ts';
import { LEVEL_COLOURS } from './drill.ts';

/** Open and acknowledged warnings, most severe first; acknowledge, resolve with what was done, open the cases. */
export function WarningsPanel({ me, areaId }: { me: Me; areaId?: number }) {
  const t = useT();
  const { message } = App.useApp();
  const { data, error, reload } = useAsync(() => api.call('listWarnings', { query: { status: 'active', limit: 100, ...(areaId ? { areaId } : {}) } }), [areaId]);
  const [resolving, setResolving] = useState<Warning | null>(null);
  const [note, setNote] = useState('');
  const can = me.permissions.includes('warning.manage');
  const order = { red: 0, orange: 1, yellow: 2, blue: 3 } as const;
  const items = [...(data?.items ?? [])].sort((a, b) => order[a.level] - order[b.level] || b.id - a.id);
  const acknowledge = async (w: Warning) => {
    try { await api.call('acknowledgeWarning', { params: { id: w.id }, body: {} }); reload(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <Card size="small" title={t('cc.warnings')}>
      {error ? <Alert type="error" title={errorText(error)} /> : (
        <List size="small" dataSource={items} locale={{ emptyText: t('cc.noWarnings') }} data-testid="warnings" renderItem={(w) => (
          <List.Item data-testid="warning" data-level={w.level} actions={can ? [
            ...(w.status === 'open' ? [<a key="ack" onClick={() => acknowledge(w)}>{t('cc.acknowledge')}</a>] : []),
            <a key="resolve" onClick={() => { setResolving(w); setNote(''); }}>{t('cc.resolve')}</a>,
          ] : []}>
            <List.Item.Meta
              title={<Space wrap><Tag color={LEVEL_COLOURS[w.level]}>{t(`cc.level.${w.level}` as MessageKey)}</Tag>{w.title}</Space>}
              description={
                <Space wrap size={4}>
                  <Typography.Text type="secondary">{formatTime(w.raisedAt)} · {t(`cc.wstatus.${w.status}` as MessageKey)}{w.acknowledgedBy ? ` · ${w.acknowledgedBy}` : ''}</Typography.Text>
                  {w.caseIds.slice(0, 5).map((id, i) => <a key={id} onClick={() => navigate(`/cases/${id}`)}>{t('cc.evidence')} {i + 1}</a>)}
                  {w.caseIds.length > 5 && <span>… {w.caseIds.length}</span>}
                </Space>
              } />
          </List.Item>
        )} />
      )}
      <Modal open={Boolean(resolving)} title={`${t('cc.resolve')} · ${resolving?.title ?? ''}`} okText={t('cc.resolve')} cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !note.trim() }} onCancel={() => setResolving(null)}
        onOk={async () => {
          try { await api.call('resolveWarning', { params: { id: resolving!.id }, body: { note: note.trim() } }); setResolving(null); reload(); } catch (e) { message.error(errorText(e)); }
        }}>
        <Input.TextArea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('cc.resolution')} />
      </Modal>
    </Card>
  );
}
