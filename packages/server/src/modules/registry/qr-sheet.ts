import QRCode from 'qrcode';
import { placePath, type Locale } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RegistryService } from './registry.service.ts';

export interface SheetPlace { code: string; name: string; address: string | null }

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The resident-page link a place's QR code carries. */
export const placeLink = (baseUrl: string, code: string) => `${baseUrl}${placePath(code)}`;

/** One QR code as an SVG path of its dark modules (1 unit = 1 module), from qrcode's matrix. */
function qrPath(text: string): { size: number; d: string } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  let d = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) { x++; continue; }
      const start = x;
      while (x < size && data[y * size + x]) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size, d };
}

const COLS = 3;
const ROWS = 4;
export const PER_PAGE = COLS * ROWS;

/**
 * One A4 page (210 × 297 mm) of place codes, 3 × 4 per page, each with the place's name, address and
 * code under it — "one code per building": cut, laminate, stick at the entrance.
 */
export function sheetPage(places: SheetPlace[], baseUrl: string, title: string, pageNo: number, pages: number, caption: string): string {
  const cellW = 210 / COLS; const cellH = 277 / ROWS; const top = 14;
  const cells = places.map((p, i) => {
    const cx = (i % COLS) * cellW; const cy = top + Math.floor(i / COLS) * cellH;
    const { size, d } = qrPath(placeLink(baseUrl, p.code));
    const q = 44; // mm square, quiet zone included
    const scale = q / (size + 8);
    const name = p.name.length > 16 ? `${p.name.slice(0, 15)}…` : p.name;
    const addr = p.address ? (p.address.length > 22 ? `${p.address.slice(0, 21)}…` : p.address) : '';
    return `<g class="place" data-code="${esc(p.code)}">`
      + `<rect x="${cx + 3}" y="${cy + 2}" width="${cellW - 6}" height="${cellH - 4}" fill="none" stroke="#bbb" stroke-width="0.2" stroke-dasharray="1 1"/>`
      + `<svg class="qr" x="${cx + (cellW - q) / 2}" y="${cy + 5}" width="${q}" height="${q}" viewBox="${-4} ${-4} ${size + 8} ${size + 8}" data-scale="${scale.toFixed(3)}">`
      + `<rect x="-4" y="-4" width="${size + 8}" height="${size + 8}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
      + `<text x="${cx + cellW / 2}" y="${cy + q + 11}" font-size="4.2" text-anchor="middle" font-weight="bold">${esc(name)}</text>`
      + (addr ? `<text x="${cx + cellW / 2}" y="${cy + q + 16.5}" font-size="3" text-anchor="middle" fill="#444">${esc(addr)}</text>` : '')
      + `<text x="${cx + cellW / 2}" y="${cy + q + 21.5}" font-size="3" text-anchor="middle" fill="#444">${esc(caption)} · ${esc(p.code)}</text>`
      + '</g>';
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" font-family="sans-serif">`
    + `<rect width="210" height="297" fill="#fff"/>`
    + `<text x="105" y="9" font-size="4.5" text-anchor="middle">${esc(title)} (${pageNo}/${pages})</text>${cells}</svg>`;
}

/** All pages, as one printable HTML document (each page an A4 SVG; no script). */
export function sheetDocument(places: SheetPlace[], baseUrl: string, title: string, caption: string): string {
  const pages: string[] = [];
  const total = Math.max(1, Math.ceil(places.length / PER_PAGE));
  for (let i = 0; i < total; i++) pages.push(sheetPage(places.slice(i * PER_PAGE, (i + 1) * PER_PAGE), baseUrl, title, i + 1, total, caption));
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>`
    + '<style>@page{size:A4;margin:0}body{margin:0;background:#888}.page{width:210mm;height:297mm;margin:0 auto 8mm;background:#fff;break-after:page}'
    + '@media print{body{background:#fff}.page{margin:0}}</style></head><body>'
    + pages.map((p) => `<div class="page">${p}</div>`).join('') + '</body></html>';
}

/** The most place codes one sheet holds (1,000 A4 pages). */
export const MAX_SHEET_PLACES = 12_000;

/**
 * The QR-sheet use case, the same for the console and the CLI: the active places of an area (at most
 * MAX_SHEET_PLACES), their sheet's title in the reader's language, and an audit entry for the print.
 */
export function createQrSheets(deps: {
  areas: { get(actor: Actor, id: number): Promise<{ id: number; name: string; path: string }> };
  registry: Pick<RegistryService, 'listPlaces'>; audit: AuditService;
}) {
  async function placesOf(actor: Actor, q: { areaId: number; kind?: string; locale: Locale }) {
    const area = await deps.areas.get(actor, q.areaId);
    const places: SheetPlace[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.registry.listPlaces(actor, { areaId: area.id, kind: q.kind, limit: 500, cursor });
      for (const p of page.items) if (p.active && places.length < MAX_SHEET_PLACES) places.push({ code: p.code, name: p.name, address: p.address });
      cursor = page.nextCursor ?? undefined;
    } while (cursor && places.length < MAX_SHEET_PLACES);
    await deps.audit.record(actor, { action: 'place.qr_sheet', targetType: 'area', targetId: area.id, areaPath: area.path, detail: { places: places.length } });
    const zh = q.locale === 'zh-CN';
    return {
      area, places, truncated: Boolean(cursor),
      title: zh ? `${area.name} 码上反映二维码` : `${area.name} — report QR codes`, caption: zh ? '扫码反映问题' : 'Scan to report',
    };
  }
  return { placesOf };
}
export type QrSheets = ReturnType<typeof createQrSheets>;
