// Test images made with sharp, and their dimensions read back from the file header bytes.
import sharp from 'sharp';

export async function makeImage(
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'gif' | 'webp' = 'png',
): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  return image.toFormat(format).toBuffer();
}

/** Width and height from a PNG, GIF or JPEG header (no decoding). */
export function imageSize(buf: Buffer): { type: string; width: number; height: number } {
  if (buf.subarray(1, 4).toString('latin1') === 'PNG') {
    return { type: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.subarray(0, 3).toString('latin1') === 'GIF') {
    return { type: 'gif', width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
  }
  if (buf[0] === 0xff && buf[1] === 0xd8) {
    let at = 2;
    while (at < buf.length) {
      const marker = buf[at + 1];
      const length = buf.readUInt16BE(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { type: 'jpeg', width: buf.readUInt16BE(at + 7), height: buf.readUInt16BE(at + 5) };
      }
      at += 2 + length;
    }
  }
  throw new Error(`not a png/gif/jpeg: ${buf.subarray(0, 8).toString('hex')}`);
}
