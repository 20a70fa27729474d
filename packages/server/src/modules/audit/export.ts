import ExcelJS from 'exceljs';
import { auditDetailText, auditLabel, type Locale } from '@fengqiao/contracts';
import { chinaTime } from '@fengqiao/contracts/time';
import { chinaDay } from '../calendar/working-time.ts';

const headers: Record<Locale, string[]> = {
  'zh-CN': ['时间', '操作人', '账号', '操作', '对象类型', '对象', '详情', '来源 IP', '请求号'],
  'en-US': ['Time', 'Person', 'Account', 'Action', 'Target type', 'Target', 'Detail', 'IP address', 'Request'],
};

/** China time to the second, as the console shows it: 2026-12-01 09:14:05. */
const local = (iso: string) => chinaTime(iso, { seconds: true });

interface Entry {
  at: string; actorName: string | null; actorDisplayName: string | null; action: string; targetType: string | null; targetId: string | null;
  targetLabel: string | null; ip: string | null; requestId: string | null; detail: Record<string, unknown>;
}

/** The audit log as an .xlsx workbook, in the reader's language, exactly the entries the filters found. */
export async function auditWorkbook(rows: Entry[], locale: Locale): Promise<{ fileName: string; body: Buffer }> {
  const title = locale === 'zh-CN' ? '审计日志' : 'Audit log';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Fengqiao';
  wb.created = new Date();
  const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers[locale]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c, i) => { c.width = [20, 12, 14, 18, 12, 24, 48, 16, 20][i] ?? 12; });
  for (const e of rows) {
    ws.addRow([
      local(e.at), e.actorDisplayName ?? '', e.actorName ?? '', auditLabel(locale, 'action', e.action), auditLabel(locale, 'target', e.targetType),
      e.targetLabel ?? e.targetId ?? '', auditDetailText(locale, e), e.ip ?? '', e.requestId ?? '',
    ]);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers[locale].length } };
  const day = chinaDay(new Date());
  return { fileName: `${title}-${day}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
