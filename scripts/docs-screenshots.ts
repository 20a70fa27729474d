/**
 * Copies the screenshots that docs/console.md shows from the browser tests' output (.test-artifacts/screenshots,
 * written by `npm test`) into docs/screenshots, scaled to at most 720 px wide and cropped to the first screen's
 * height, as WebP. Run after the browser tests whenever a screen changes: `npx tsx scripts/docs-screenshots.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const FROM = path.resolve(import.meta.dirname, '../.test-artifacts/screenshots');
const TO = path.resolve(import.meta.dirname, '../docs/screenshots');

/** name in docs → the browser test's file, and how tall a slice of it to keep (in the shot's own pixels). */
const SHOTS: Record<string, { file: string; height?: number }> = {
  'workbench': { file: 'tour/dispatcher-desk-workbench.png', height: 900 },
  'cases': { file: 'tour/dispatcher-desk-cases.png', height: 900 },
  'case': { file: '08-closed-timeline.png', height: 1400 },
  'intake-receipt': { file: 'intake-receipt.png', height: 1000 },
  'receipt-printout': { file: 'receipt-printout-a5.png' },
  'audit': { file: 'audit.png', height: 900 },
  'command-center': { file: 'command-center.png', height: 1100 },
  'big-screen': { file: 'big-screen.png' },
  'resident-report': { file: '01-resident-report.png', height: 1688 },
  'resident-tracking': { file: '07-resident-closed.png', height: 1688 },
  'phone-patrol': { file: 'phone-patrol-form.png', height: 2400 },
  'phone-case': { file: 'phone-case-on-spot.png', height: 1688 },
  'phone-grid': { file: 'phone-grid-registry.png', height: 1688 },
  'phone-leader': { file: 'phone-leader-leader.png', height: 1688 },
  'mediation': { file: 'mediation-dispute-page.png', height: 1100 },
};

fs.mkdirSync(TO, { recursive: true });
for (const [name, { file, height }] of Object.entries(SHOTS)) {
  const source = path.join(FROM, file);
  if (!fs.existsSync(source)) throw new Error(`${file} is missing: run the browser tests first (npm test)`);
  const meta = await sharp(source).metadata();
  const keep = Math.min(meta.height!, height ?? meta.height!);
  await sharp(source).extract({ left: 0, top: 0, width: meta.width!, height: keep }).resize({ width: Math.min(720, meta.width! > 1000 ? 720 : 360) })
    .webp({ quality: 72 }).toFile(path.join(TO, `${name}.webp`));
}
console.log(`${Object.keys(SHOTS).length} screenshots in ${path.relative(process.cwd(), TO)}`);
