/**
 * The mediation's documents: the agreement (调解协议书) as Word (.docx, with the `docx` library) and as a print
 * view, and the case file's cover and contents list (卷宗) in the order mediation files are bound.
 * Template version AGREEMENT_TEMPLATE: a change of wording is a new version, and the document says which.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { DisputeType } from '@fengqiao/contracts';

export const AGREEMENT_TEMPLATE = 'agreement-2026.1';

export interface AgreementData {
  committee: string; number: string; caseNumber: string; disputeType: DisputeType; disputeTypeLabel: string;
  parties: { role: string; kind: string; name: string; idNumber: string | null; phone: string | null; address: string | null; agentName: string | null }[];
  facts: string; terms: string; performBy: string | null; agreedOn: string; mediators: string[];
}

const ROLE = { applicant: '申请人', respondent: '被申请人', third_party: '第三人' } as Record<string, string>;

function partyLine(p: AgreementData['parties'][number]): string {
  const bits = [`${ROLE[p.role] ?? p.role}：${p.name}`];
  if (p.idNumber) bits.push(p.kind === 'organization' ? `统一社会信用代码 ${p.idNumber}` : `身份证号 ${p.idNumber}`);
  if (p.address) bits.push(`住所 ${p.address}`);
  if (p.phone) bits.push(`电话 ${p.phone}`);
  if (p.agentName) bits.push(`委托代理人 ${p.agentName}`);
  return bits.join('，');
}

/** The paragraphs of the agreement, shared by the Word file and the print view. */
export function agreementSections(d: AgreementData) {
  return {
    title: '人民调解协议书',
    number: d.number,
    parties: d.parties.map(partyLine),
    sections: [
      { heading: '纠纷主要事实、争议事项', body: d.facts },
      { heading: '经调解，自愿达成如下协议', body: d.terms },
      { heading: '履行方式、时限', body: d.performBy ? `各方按上述约定于 ${d.performBy} 前履行完毕。` : '各方按上述约定履行。' },
      { heading: '', body: '本协议一式若干份，当事人、人民调解委员会各持一份，自各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章之日起生效。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。' },
    ],
    signatures: [...d.parties.map((p) => `${ROLE[p.role] ?? p.role}（签名或盖章）：`), `人民调解员（签名）：${d.mediators.join('、')}`, `${d.committee}（印章）`, `${d.agreedOn}`],
    footer: `事项编号 ${d.caseNumber} · 纠纷类型 ${d.disputeTypeLabel} · 模板 ${AGREEMENT_TEMPLATE}`,
  };
}

export async function agreementDocx(d: AgreementData): Promise<Buffer> {
  const s = agreementSections(d);
  const p = (text: string, opts: { bold?: boolean; center?: boolean; size?: number } = {}) => new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT, spacing: { after: 160 },
    children: [new TextRun({ text, bold: opts.bold, size: opts.size ?? 24, font: 'SimSun' })],
  });
  const doc = new Document({
    creator: 'Fengqiao', title: `${s.title} ${s.number}`, description: AGREEMENT_TEMPLATE,
    sections: [{
      children: [
        new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: s.title, bold: true, size: 40, font: 'SimHei' })] }),
        p(s.number, { center: true }),
        ...s.parties.map((x) => p(x)),
        ...s.sections.flatMap((x) => [...(x.heading ? [p(`${x.heading}：`, { bold: true })] : []), ...x.body.split(/\n+/).map((line) => p(line))]),
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: s.signatures.map((line) => new TableRow({ children: [new TableCell({ children: [p(line)] })] })),
        }),
        p(s.footer, { size: 16 }),
      ],
    }],
  });
  return Packer.toBuffer(doc);
}

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
const page = (title: string, body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:"SimSun","Songti SC",serif;max-width:180mm;margin:20mm auto;line-height:1.9;font-size:14pt}h1{text-align:center;letter-spacing:.3em}
.no{text-align:center}.sig td{padding:10px 0;height:2.2em}.foot{font-size:9pt;color:#666;margin-top:3em}@media print{body{margin:0 auto}}</style></head><body>${body}</body></html>`;

export function agreementHtml(d: AgreementData): string {
  const s = agreementSections(d);
  return page(`${s.title} ${s.number}`, `<h1>${esc(s.title)}</h1><p class="no">${esc(s.number)}</p>${s.parties.map((x) => `<p>${esc(x)}</p>`).join('')}
${s.sections.map((x) => `${x.heading ? `<p><b>${esc(x.heading)}：</b></p>` : ''}${x.body.split(/\n+/).map((l) => `<p>${esc(l)}</p>`).join('')}`).join('')}
<table class="sig">${s.signatures.map((l) => `<tr><td>${esc(l)}</td></tr>`).join('')}</table><p class="foot">${esc(s.footer)}</p>`);
}

/** The contents of a mediation file, in the order it is bound (人民调解卷宗), with what Fengqiao holds for each. */
export function fileCoverHtml(d: { committee: string; caseNumber: string; agreementNo: string | null; title: string; openedOn: string; closedOn: string | null;
  mediators: string[]; items: { name: string; present: boolean; detail: string }[] }): string {
  const rows = d.items.map((it, i) => `<tr><td>${i + 1}</td><td>${esc(it.name)}</td><td>${it.present ? esc(it.detail) : '—'}</td></tr>`).join('');
  return page(`卷宗 ${d.caseNumber}`, `<h1>人民调解卷宗</h1>
<table><tr><td>调解组织</td><td>${esc(d.committee)}</td></tr><tr><td>案由</td><td>${esc(d.title)}</td></tr>
<tr><td>事项编号</td><td>${esc(d.caseNumber)}</td></tr><tr><td>协议编号</td><td>${esc(d.agreementNo ?? '—')}</td></tr>
<tr><td>调解员</td><td>${esc(d.mediators.join('、') || '—')}</td></tr><tr><td>立卷 / 结案</td><td>${esc(d.openedOn)} / ${esc(d.closedOn ?? '—')}</td></tr></table>
<h2>卷内目录</h2><table border="1" cellspacing="0" cellpadding="6"><tr><th>序号</th><th>文件名称</th><th>本系统所存</th></tr>${rows}</table>`);
}

/** The binding order of a mediation file. */
export const FILE_ORDER = [
  '调解申请书或受理登记表', '人民调解告知书（当事人权利义务）', '当事人身份证明', '调查记录及证据材料', '调解笔录',
  '调解协议书', '履行凭证', '回访记录', '司法确认材料',
] as const;
