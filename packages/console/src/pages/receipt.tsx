import { useRef } from 'react';
import { Button, Descriptions, Modal, QRCode, Typography } from 'antd';
import type { StaffIntakeResult } from '@fengqiao/contracts';
import { formatTrackingCode, trackingPath } from '@fengqiao/contracts/links';
import { useLabel, useT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { formatTime } from '../util.ts';
import { useCategoryName } from '../data.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The receipt (受理回执) for whoever reported at the window or on the phone: on screen, the case number, the 查询码
 * and a QR code that opens the case on the resident page; printed (A4 or A5), a document of the center — its
 * name, the number and code with the QR code, the reporter (masked), what was reported, the clerk, the date by
 * which a reply is due once accepted, and a space for the stamp — without the console's buttons.
 */
export function Receipt({ result, clerk, onClose }: { result: StaffIntakeResult; clerk: string; onClose: () => void }) {
  const t = useT();
  const L = useLabel();
  const categoryName = useCategoryName();
  const qr = useRef<HTMLDivElement>(null);
  const { number, trackingSecret } = result.receipt;
  const c = result.case;
  const link = `${window.location.origin}${trackingPath(number, trackingSecret)}`;
  const code = formatTrackingCode(trackingSecret);
  const due = c.acceptedAt ? c.clocks.handle.dueAt : null;
  const reporter = c.reporter.anonymous ? t('case.anonymous') : [c.reporter.name, c.reporter.phone].filter(Boolean).join(' ') || '—';
  const summary = c.description.length > 120 ? `${c.description.slice(0, 119)}…` : c.description;
  const rows: [string, string][] = [
    [t('receipt.number'), number], [t('receipt.secret'), code], [t('receipt.at'), formatTime(c.createdAt)], [t('case.status'), L('status', c.status)],
    [t('case.category'), categoryName(c.category)], [t('case.reporter'), reporter], [t('case.description'), summary],
    [t('receipt.due'), due ? formatTime(due) : t('receipt.dueAfterAccept')], [t('receipt.clerk'), clerk],
  ];
  const print = (size: 'A4' | 'A5') => {
    const svg = qr.current?.querySelector('svg')?.outerHTML ?? '';
    // a page of its own, built from the values (escaped), so that nothing of the console prints with it
    const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(t('receipt.title'))} ${escape(number)}</title><style>
      @page { size: ${size}; margin: 14mm; }
      body { font-family: "Noto Serif CJK SC", "Songti SC", serif; color: #000; font-size: ${size === 'A4' ? 12 : 10.5}pt; }
      h1 { text-align: center; font-size: 1.6em; letter-spacing: .3em; margin: 0 0 .2em; }
      .org { text-align: center; font-size: 1.15em; margin-bottom: 1em; }
      table { width: 100%; border-collapse: collapse; }
      th, td { border: 1px solid #000; padding: .45em .6em; text-align: left; vertical-align: top; }
      th { width: 22%; font-weight: normal; background: #f3f3f3; }
      .code { font-family: monospace; font-size: 1.4em; font-weight: bold; letter-spacing: .08em; }
      .foot { display: flex; gap: 1.5em; align-items: center; margin-top: 1.2em; }
      .foot svg { width: ${size === 'A4' ? 34 : 28}mm; height: ${size === 'A4' ? 34 : 28}mm; }
      .stamp { margin-left: auto; width: 42mm; height: 42mm; border: 1px dashed #999; color: #999; display: flex; align-items: center; justify-content: center; }
      .hint { font-size: .9em; }
    </style></head><body>
      <h1>${escape(t('receipt.title'))}</h1><div class="org">${escape(c.owningOrg.name)}</div>
      <table>${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td${k === t('receipt.secret') ? ' class="code"' : ''}>${escape(v)}</td></tr>`).join('')}</table>
      <div class="foot">${svg}<div class="hint">${escape(t('receipt.hint'))}<br>${escape(link)}</div><div class="stamp">${escape(t('receipt.stamp'))}</div></div>
    </body></html>`;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const w = window.open(url, '_blank', 'width=640,height=800');
    if (!w) return;
    w.addEventListener('load', () => { w.focus(); w.print(); URL.revokeObjectURL(url); });
  };
  return (
    <Modal open title={t('receipt.title')} onCancel={onClose} data-testid="receipt" footer={[
      <Button key="a5" onClick={() => print('A5')} data-testid="receipt-print-a5">{t('receipt.printA5')}</Button>,
      <Button key="a4" onClick={() => print('A4')} data-testid="receipt-print">{t('receipt.print')}</Button>,
      <Button key="open" type="primary" onClick={() => { onClose(); navigate(`/cases/${c.id}`); }} data-testid="receipt-open">{t('receipt.open')}</Button>,
    ]}>
      <Descriptions column={1} size="small" bordered items={[
        { key: 'number', label: t('receipt.number'), children: <span data-testid="receipt-number">{number}</span> },
        { key: 'secret', label: t('receipt.secret'), children: <span data-testid="receipt-secret" style={{ fontFamily: 'ui-monospace, monospace', fontSize: 18, fontWeight: 600 }}>{code}</span> },
        { key: 'at', label: t('receipt.at'), children: formatTime(c.createdAt) },
        { key: 'org', label: t('receipt.org'), children: c.owningOrg.name },
        { key: 'due', label: t('receipt.due'), children: <span data-testid="receipt-due">{due ? formatTime(due) : t('receipt.dueAfterAccept')}</span> },
      ]} />
      <div style={{ display: 'flex', gap: 16, alignItems: 'center', marginTop: 12 }}>
        <div style={{ flex: 'none' }} ref={qr}><QRCode value={link} type="svg" size={132} bordered={false} data-testid="receipt-qr" /></div>
        <Typography.Paragraph style={{ margin: 0 }}>{t('receipt.hint')}</Typography.Paragraph>
      </div>
      <Typography.Paragraph copyable={{ text: link }} style={{ fontSize: 12, marginTop: 8, wordBreak: 'break-all' }} data-testid="receipt-link">{link}</Typography.Paragraph>
    </Modal>
  );
}
