// GB18030 (GBK-compatible) encoding, for writing CSV files the way Excel/WPS on Chinese Windows
// saves them. Node has a GB18030 decoder (TextDecoder) but no encoder, so the reverse tables are
// built once by decoding every two-byte sequence (the GBK part: every character of the demo data)
// and, only when a character outside GBK appears, every four-byte sequence of the BMP. Characters
// beyond the BMP follow GB18030's linear four-byte mapping.

let two: Uint16Array | undefined; // UTF-16 unit → lead << 8 | trail (0: not in the two-byte part)
let four: Uint32Array | undefined; // UTF-16 unit → four bytes, big-endian (0: none)

function twoByteTable(): Uint16Array {
  if (two) return two;
  const t = new Uint16Array(65536);
  const dec = new TextDecoder('gb18030');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    pair[0] = lead;
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[1] = trail;
      const ch = dec.decode(pair);
      if (ch.length !== 1) continue;
      const u = ch.charCodeAt(0);
      if (u !== 0xfffd && u >= 0x80 && t[u] === 0) t[u] = (lead << 8) | trail;
    }
  }
  two = t;
  return t;
}

function fourByteTable(): Uint32Array {
  if (four) return four;
  const t = new Uint32Array(65536);
  // every four-byte sequence 81 30 81 30 … 84 39 FE 39, decoded in one go: one UTF-16 unit each
  const n = 4 * 10 * 126 * 10;
  const bytes = new Uint8Array(n * 4);
  const codes = new Uint32Array(n);
  let k = 0;
  for (let b1 = 0x81; b1 <= 0x84; b1++)
    for (let b2 = 0x30; b2 <= 0x39; b2++)
      for (let b3 = 0x81; b3 <= 0xfe; b3++)
        for (let b4 = 0x30; b4 <= 0x39; b4++) {
          bytes.set([b1, b2, b3, b4], k * 4);
          codes[k++] = ((b1 << 24) | (b2 << 16) | (b3 << 8) | b4) >>> 0;
        }
  const text = new TextDecoder('gb18030').decode(bytes);
  if (text.length === n) {
    for (let i = 0; i < n; i++) {
      const u = text.charCodeAt(i);
      if ((u !== 0xfffd || codes[i] === 0x8431a437) && t[u] === 0 && twoByteTable()[u] === 0 && u >= 0x80) t[u] = codes[i];
    }
  }
  four = t;
  return t;
}

let scratch = new Uint8Array(1 << 16);

/** GB18030 bytes of `text` (a view of a shared buffer, valid until the next call). */
export function encodeGb18030(text: string): Uint8Array {
  const t2 = twoByteTable();
  const n = text.length;
  if (scratch.length < n * 4) scratch = new Uint8Array(n * 4);
  const out = scratch;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const u = text.charCodeAt(i);
    if (u < 0x80) {
      out[o++] = u;
      continue;
    }
    const v = t2[u];
    if (v !== 0) {
      out[o++] = v >> 8;
      out[o++] = v & 0xff;
      continue;
    }
    let cp = u;
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    let f: number;
    if (cp >= 0x10000) {
      let l = cp - 0x10000 + 189000;
      const b4 = 0x30 + (l % 10);
      l = Math.floor(l / 10);
      const b3 = 0x81 + (l % 126);
      l = Math.floor(l / 126);
      const b2 = 0x30 + (l % 10);
      const b1 = 0x81 + Math.floor(l / 10);
      f = ((b1 << 24) | (b2 << 16) | (b3 << 8) | b4) >>> 0;
    } else {
      f = fourByteTable()[cp] || fourByteTable()[0xfffd]; // lone surrogates become U+FFFD
    }
    out[o++] = f >>> 24;
    out[o++] = (f >>> 16) & 0xff;
    out[o++] = (f >>> 8) & 0xff;
    out[o++] = f & 0xff;
  }
  return out.subarray(0, o);
}
