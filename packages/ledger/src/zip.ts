// A minimal zip reader for .xlsx parts: entries from the central directory (so every part is found
// whatever its order in the file), each part streamed through inflate and a streaming UTF-8
// decoder (so a character split between two chunks is never garbled). Zip64 included.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number; // 0 stored, 8 deflate
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('zip: offset too large');
  return Number(v);
}

/** Entries by name. Throws (with a plain message) when the file is not a zip archive. */
export async function readZipDirectory(path: string): Promise<Map<string, ZipEntry>> {
  const fh = await open(path, 'r');
  let fileSize: number;
  try {
    fileSize = (await fh.stat()).size;
  } finally {
    await fh.close();
  }
  const tailLen = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(path, fileSize - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('不是有效的 .xlsx（zip）文件');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === MAX32 || cdSize === MAX32 || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== EOCD64_LOCATOR) throw new Error('zip64: locator missing');
    const rec = await readAt(path, u64(tail, loc + 8), 56);
    if (rec.readUInt32LE(0) !== EOCD64) throw new Error('zip64: record missing');
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  const cd = await readAt(path, cdOffset, cdSize);
  const out = new Map<string, ZipEntry>();
  let p = 0;
  for (let k = 0; k < count && p + 46 <= cd.length; k++) {
    if (cd.readUInt32LE(p) !== CENTRAL) throw new Error('zip: bad central directory');
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // Zip64 extended information: present fields in order size, compressed size, offset.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        if (size === MAX32) (size = u64(cd, f)), (f += 8);
        if (compressedSize === MAX32) (compressedSize = u64(cd, f)), (f += 8);
        if (localOffset === MAX32) localOffset = u64(cd, f);
      }
      e += 4 + len;
    }
    out.set(name, { name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The raw (decompressed) bytes of an entry as a stream. */
export async function entryStream(path: string, entry: ZipEntry): Promise<Readable> {
  const head = await readAt(path, entry.localOffset, 30);
  if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw new Error(`zip: bad local header for ${entry.name}`);
  const start = entry.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (entry.compressedSize === 0) return Readable.from([]);
  const src = createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 1 << 20 });
  if (entry.method === 0) return src;
  if (entry.method !== 8) throw new Error(`zip: unsupported compression method ${entry.method} for ${entry.name}`);
  return pipeline(src, createInflateRaw(), () => {});
}

/** An entry's content as UTF-8 text chunks (streaming decoder: characters split between chunks stay whole). */
export async function* entryText(path: string, entry: ZipEntry): AsyncGenerator<string> {
  const stream = await entryStream(path, entry);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const s = decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}
