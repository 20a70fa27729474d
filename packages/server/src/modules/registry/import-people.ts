import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../lib/errors.ts';

/** Column headers accepted in a people file (Chinese as in the standard's forms, or the API's names). */
export const PEOPLE_COLUMNS: Record<string, string[]> = {
  name: ['姓名', 'name'], idNumber: ['公民身份号码', '身份证号', '身份证号码', 'idNumber'], phone: ['联系方式', '手机号', '手机号码', '联系电话', 'phone'],
  residency: ['人口类型', 'residency'], gender: ['性别', 'gender'], householdNo: ['户号', 'householdNo'],
  relationToHead: ['与户主关系', 'relationToHead'], address: ['现住址', '住址', 'address'], placeCode: ['场所编码', 'placeCode'],
  room: ['房间号', '门牌号', 'room'], areaCode: ['网格编码', '区域编码', 'areaCode'],
};

export type PeopleRow = { row: number; cells: Record<string, string | undefined>; problems: { field: string; problem: string }[] };

/**
 * Reads a CSV or XLSX file of people: the first row holds the headers, every other non-empty row a person.
 * Values are read as text (an 18-digit ID number stored as a number in Excel has lost digits: reported).
 */
export async function readPeopleFile(data: Buffer, kind: 'csv' | 'xlsx'): Promise<PeopleRow[]> {
  const wb = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (kind === 'xlsx') { await wb.xlsx.load(data as unknown as ArrayBuffer); sheet = wb.worksheets[0]; }
    else sheet = await wb.csv.read(Readable.from(data.toString('utf8').replace(/^\uFEFF/, '')), { map: (v: unknown) => v } as never);
  } catch {
    throw new AppError('VALIDATION_FAILED', { detail: `the file is not a readable ${kind.toUpperCase()} file` });
  }
  if (!sheet || sheet.rowCount < 1) throw new AppError('VALIDATION_FAILED', { detail: 'the file has no rows' });
  const header = sheet.getRow(1);
  const columns = new Map<number, string>();
  const unknown: string[] = [];
  header.eachCell((cell, col) => {
    const h = String(cell.text ?? '').trim();
    const key = Object.entries(PEOPLE_COLUMNS).find(([, names]) => names.includes(h))?.[0];
    if (key) columns.set(col, key); else if (h) unknown.push(h);
  });
  if (unknown.length) throw new AppError('VALIDATION_FAILED', { detail: `unknown column(s): ${unknown.join(', ')}` });
  if (![...columns.values()].includes('name')) throw new AppError('VALIDATION_FAILED', { detail: 'column 姓名 (name) is missing' });
  const rows: PeopleRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Record<string, string | undefined> = {};
    const problems: { field: string; problem: string }[] = [];
    let any = false;
    for (const [col, key] of columns) {
      const cell = row.getCell(col);
      const v = cell.value;
      if (v === null || v === undefined || String(cell.text).trim() === '') continue;
      any = true;
      if (key === 'idNumber' && typeof v === 'number') problems.push({ field: key, problem: 'stored as a number (digits lost); format the column as text' });
      cells[key] = String(cell.text).trim();
    }
    if (any) rows.push({ row: r, cells, problems });
  }
  if (rows.length > 20_000) throw new AppError('VALIDATION_FAILED', { detail: 'at most 20,000 people per file' });
  return rows;
}
