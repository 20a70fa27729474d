import ExcelJS from 'exceljs';
import { label, type Case, type Locale } from '@fengqiao/contracts';
import { chinaTime } from '@fengqiao/contracts/time';

const headers: Record<Locale, string[]> = {
  'zh-CN': ['事项编号', '类型', '来源渠道', '状态', '等级', '类别', '所属区域', '地址', '主办中心', '承办单位', '反映人', '联系电话', '事项描述', '涉及人数', '登记时间', '受理时间', '办理时限', '办理时限状态', '办结时间', '回访结果', '退单次数', '重启次数'],
  'en-US': ['Case number', 'Type', 'Channel', 'Status', 'Tier', 'Category', 'Area', 'Address', 'Owning center', 'Handling organisation', 'Reporter', 'Phone', 'Description', 'People involved', 'Reported at', 'Accepted at', 'Handle by', 'Handle clock', 'Closed at', 'Return visit', 'Returns', 'Reopens'],
};

const local = (iso: string | null) => (iso ? chinaTime(iso) : '');

/**
 * The case ledger (台账) as an .xlsx workbook, streamed row by row from the filtered list. Reporters are
 * masked exactly as on screen: the export is a copy of what the user may see, never more.
 */
export async function caseLedger(rows: AsyncIterable<Case>, locale: Locale, title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Fengqiao';
  wb.created = new Date();
  const ws = wb.addWorksheet(title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers[locale]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c, i) => { c.width = [22, 8, 10, 10, 8, 16, 16, 24, 20, 20, 10, 14, 48, 8, 17, 17, 17, 12, 17, 12, 8, 8][i] ?? 12; });
  for await (const c of rows) {
    ws.addRow([
      c.number, label(locale, 'caseType', c.caseType), label(locale, 'channel', c.channel), label(locale, 'status', c.status),
      label(locale, 'tier', c.tier), c.category.name, c.area.name, c.address ?? '', c.owningOrg.name, c.assigneeOrg?.name ?? '',
      c.reporter.anonymous ? (locale === 'zh-CN' ? '匿名' : 'Anonymous') : c.reporter.name ?? '', c.reporter.phone ?? '',
      c.description, c.peopleInvolved, local(c.createdAt), local(c.acceptedAt), local(c.clocks.handle.dueAt),
      label(locale, 'clockState', c.clocks.handle.state), local(c.closedAt), label(locale, 'visit', c.visitResult), c.returnCount, c.reopenCount,
    ]);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers[locale].length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
