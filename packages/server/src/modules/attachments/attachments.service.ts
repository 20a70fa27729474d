import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AttachmentContentTypes, type Attachment } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import { cases } from '../../db/schema.ts';
import * as repo from './attachments.repository.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { caseFilesVisibleTo } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { BlobStorage } from './storage.ts';
import { isImageType, reencodeImage } from './images.ts';

export const MAX_ATTACHMENTS_PER_CASE = 9;
/** A staff member's upload waits a day for the action that names it; a resident's only while the form is open. */
const STAFF_UNLINKED_TTL_MS = 24 * 3600_000;
export const PUBLIC_UNLINKED_TTL_MS = 45 * 60_000;
const RESIDENT_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

type Row = repo.AttachmentRow;
export const presentAttachment = (r: Row): Attachment => ({
  id: r.id, fileName: r.fileName, contentType: r.contentType, size: r.size, createdAt: r.createdAt.toISOString(),
});

/** A file name as shown to people: no path, no control characters, at most 100 characters. */
export function cleanFileName(raw: string | undefined, contentType: string): string {
  let name = '';
  try { name = decodeURIComponent(raw ?? ''); } catch { name = ''; }
  name = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"<>]/g, '').trim().slice(0, 100);
  const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }[contentType] ?? 'bin';
  return name || `attachment.${ext}`;
}

export interface UploadBudget {
  /** Bytes one address may store through the public upload in a UTC day. */
  dailyBytesPerAddress: number;
  /** Bytes of residents' unlinked uploads, all addresses together. */
  unlinkedMaxBytes: number;
}

/**
 * Attachments: the type is decided by the file's own bytes (magic numbers), not by what the client
 * claims; a file whose bytes are not a picture or a PDF is refused, so nothing stored can be HTML or script.
 * Pictures are decoded and encoded again (images.ts): what is kept is a clean picture without metadata.
 * Residents' uploads have budgets: per address and day, and in total while no report names them.
 */
export function createAttachmentService(deps: { db: Db; storage: BlobStorage; clock: Clock; keys: KeyRing; maxBytes: number; budget: UploadBudget }) {
  const { db, storage, clock, keys, budget } = deps;

  /** `address`: the client's address, for a resident's upload (actor null); counted under a keyed hash. */
  async function upload(actor: Actor | null, input: Buffer, declaredType: string | undefined, fileName: string | undefined, address: string | null = null) {
    let data = input;
    if (!Buffer.isBuffer(data) || data.length === 0) throw new AppError('VALIDATION_FAILED', { detail: 'empty file' });
    if (data.length > deps.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', { limit: `${Math.round(deps.maxBytes / 1048576)} MiB` });
    const sniffed = (await fileTypeFromBuffer(data))?.mime;
    const allowed: ReadonlySet<string> = actor ? new Set<string>(AttachmentContentTypes) : RESIDENT_TYPES;
    if (!sniffed || !allowed.has(sniffed)) throw new AppError(actor ? 'ATTACHMENT_TYPE_NOT_ALLOWED' : 'ATTACHMENT_PHOTO_ONLY');
    const declared = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
    if (declared && declared !== 'application/octet-stream' && declared !== sniffed) throw new AppError(actor ? 'ATTACHMENT_TYPE_NOT_ALLOWED' : 'ATTACHMENT_PHOTO_ONLY');
    if (!actor && await repo.unlinkedPublicBytes(db) >= budget.unlinkedMaxBytes) throw new AppError('UPLOADS_PAUSED');
    if (isImageType(sniffed)) data = (await reencodeImage(data, sniffed)).data;
    const now = clock.now();
    const id = crypto.randomUUID();
    const key = `${now.toISOString().slice(0, 7).replace('-', '/')}/${id}`;
    await storage.put(key, data); // bytes first: a row never points at a missing file
    try {
      const row = await db.transaction(async (tx) => {
        if (!actor) {
          const used = await repo.addUsage(tx, keys.tokenHash(`upload-address:${address ?? ''}`), now.toISOString().slice(0, 10), data.length);
          if (used > budget.dailyBytesPerAddress) throw new AppError('UPLOAD_DAILY_LIMIT');
        }
        return repo.insertAttachment(tx, {
          id, storageKey: key, contentType: sniffed, size: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex'),
          fileName: cleanFileName(fileName, sniffed), uploadedBy: actor?.userId ?? null, createdAt: now,
        });
      });
      return presentAttachment(row);
    } catch (e) {
      await storage.delete(key); // refused or failed: no file without its row
      throw e;
    }
  }

  /** Staff and integrations upload with `attachment.upload`; residents through the public endpoint (actor null). */
  async function uploadByStaff(actor: Actor, data: Buffer, declaredType: string | undefined, fileName: string | undefined) {
    authorize(actor, 'attachment.upload');
    return upload(actor, data, declaredType, fileName);
  }

  /**
   * Inside the intake's (or a reply's) transaction: links the named uploads to the case. Only the uploader's
   * own (a resident's for public intake), still unlinked, not expired, at most MAX_ATTACHMENTS_PER_CASE on the
   * case in all; anything else fails the whole intake or action.
   */
  async function link(tx: Executor, actor: Actor | null, ids: string[], caseId: string, areaPath: string, now: Date) {
    if (!ids.length) return [];
    if (ids.length + await repo.countForCase(tx, caseId) > MAX_ATTACHMENTS_PER_CASE) throw new AppError('ATTACHMENT_LIMIT', { max: MAX_ATTACHMENTS_PER_CASE });
    const rows = await repo.linkToCase(tx, ids, caseId, areaPath, actor?.userId ?? null, new Date(now.getTime() - (actor ? STAFF_UNLINKED_TTL_MS : PUBLIC_UNLINKED_TTL_MS)));
    if (rows.length !== ids.length) throw new AppError('ATTACHMENT_LIMIT', { max: MAX_ATTACHMENTS_PER_CASE });
    return rows.map(presentAttachment);
  }

  async function listForCase(caseId: string) {
    return (await repo.listForCase(db, caseId)).map(presentAttachment);
  }

  /** The bytes of an attachment of a case the actor may see, or of the actor's own unlinked upload. */
  async function read(actor: Actor, id: string) {
    const row = await repo.findReadable(db, id, actor.userId, caseFilesVisibleTo(actor, cases));
    if (!row) throw notFound('attachment');
    const data = await storage.get(row.storageKey);
    if (!data) throw notFound('attachment');
    return { meta: row, data };
  }

  /** The bytes of one attachment of a case, for a caller that has already proved its right to that case (the reporter's secret). */
  async function readOfCase(caseId: string, id: string) {
    const row = (await repo.listForCase(db, caseId)).find((r) => r.id === id);
    const data = row ? await storage.get(row.storageKey) : null;
    return row && data ? { meta: row, data } : null;
  }

  /** Unlinked uploads past their time: abandoned forms. Row first, then bytes; and day counts older than yesterday. */
  async function purgeUnlinked(batch = 500) {
    const now = clock.now().getTime();
    let purged = 0;
    for (;;) {
      const rows = await repo.deleteUnlinkedBefore(db, { publicBefore: new Date(now - PUBLIC_UNLINKED_TTL_MS), staffBefore: new Date(now - STAFF_UNLINKED_TTL_MS) }, batch);
      for (const r of rows) await storage.delete(r.storageKey);
      purged += rows.length;
      if (rows.length < batch) break;
    }
    await repo.deleteUsageBefore(db, new Date(now - 86_400_000).toISOString().slice(0, 10));
    return purged;
  }

  /** For /metrics: how much of the public upload budget is taken, and the free space where files are written. */
  async function diskBudget() {
    return { unlinkedPublicBytes: await repo.unlinkedPublicBytes(db), unlinkedMaxBytes: budget.unlinkedMaxBytes, freeBytes: (await storage.freeBytes?.()) ?? null };
  }

  return { upload, uploadByStaff, link, listForCase, read, readOfCase, purgeUnlinked, diskBudget, storage };
}
export type AttachmentService = ReturnType<typeof createAttachmentService>;
