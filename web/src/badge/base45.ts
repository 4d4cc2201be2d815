// Base45 (RFC 9285) decoding: the badge payload's text after its prefix.
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/** Decodes Base45 text; undefined if it is not valid Base45. */
export function base45Decode(text: string): Uint8Array | undefined {
  const values: number[] = [];
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    values.push(v);
  }
  if (values.length % 3 === 1) return undefined;
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 3) {
    const [c, d, e] = [values[i]!, values[i + 1]!, values[i + 2]];
    if (e === undefined) {
      const n = c + d * 45;
      if (n > 0xff) return undefined;
      out.push(n);
    } else {
      const n = c + d * 45 + e * 45 * 45;
      if (n > 0xffff) return undefined;
      out.push(n >> 8, n & 0xff);
    }
  }
  return new Uint8Array(out);
}
