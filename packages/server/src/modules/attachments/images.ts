import sharp from 'sharp';
import { AppError } from '../../lib/errors.ts';

/** Pictures larger than this on their longest side are scaled down: a phone photo stays sharp, a poster does not fill a disk. */
export const MAX_IMAGE_SIDE = 3000;
/** Refused before decoding: a small file that claims a huge canvas (a decompression bomb). */
const MAX_INPUT_PIXELS = 50_000_000;

type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';
export const isImageType = (t: string): t is ImageType => t === 'image/jpeg' || t === 'image/png' || t === 'image/webp';

/**
 * Decodes a picture completely and encodes it again in its own format: a file that only starts like a
 * picture fails here, and what is stored carries no metadata — no EXIF location, camera or owner — turned
 * upright as the camera meant it, at most MAX_IMAGE_SIDE pixels on its longest side.
 */
export async function reencodeImage(data: Buffer, type: ImageType): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    let img = sharp(data, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    img = type === 'image/jpeg' ? img.jpeg({ quality: 85, mozjpeg: true })
      : type === 'image/png' ? img.png({ compressionLevel: 8 })
      : img.webp({ quality: 85 });
    const { data: out, info } = await img.toBuffer({ resolveWithObject: true });
    return { data: out, width: info.width, height: info.height };
  } catch {
    throw new AppError('ATTACHMENT_UNREADABLE');
  }
}
