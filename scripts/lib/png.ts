// A tiny PNG writer for the generated extension and task icons (no image dependency). The format is
// the PNG specification's (https://www.w3.org/TR/png-3/): signature, IHDR, PLTE, tRNS, IDAT, IEND;
// 8-bit palette colour (colour type 3), filter type 0 on every row.
import { crc32 } from 'node:zlib';

export type Rgba = readonly [number, number, number, number];

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * zlib data (RFC 1950) made of stored deflate blocks (RFC 1951 §3.2.4). Stored, not compressed,
 * so the bytes depend on nothing but the pixels: `pnpm generate --check` must give the same icon
 * on every Node version, and zlib's compressed output may change between zlib releases.
 */
function storedZlib(raw: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.of(0x78, 0x01)]; // deflate, 32K window, no dictionary
  const blocks = Math.max(1, Math.ceil(raw.length / 65535)); // a stored block holds at most 65535 bytes
  for (let i = 0; i < blocks; i++) {
    const block = raw.subarray(i * 65535, (i + 1) * 65535);
    const header = Buffer.alloc(5);
    header[0] = i === blocks - 1 ? 1 : 0; // BFINAL on the last block; BTYPE 00 (stored)
    header.writeUInt16LE(block.length, 1);
    header.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(header, Buffer.from(block));
  }
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(adler32(raw), 0);
  parts.push(tail);
  return Buffer.concat(parts);
}

/** A palette PNG of `width`×`height`, each pixel the palette index `pixel(x, y)` gives. */
export function palettePng(width: number, height: number, palette: readonly Rgba[], pixel: (x: number, y: number) => number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (palette), deflate, filter 0, no interlace
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter type None
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixel(x, y);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', Uint8Array.from(palette.flatMap(([r, g, b]) => [r, g, b]))),
    chunk('tRNS', Uint8Array.from(palette.map(([, , , a]) => a))),
    chunk('IDAT', storedZlib(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
