/**
 * Short customer ids packed exactly into 64 bits (two 32-bit words), so that customers can be
 * grouped by integer comparison alone, without reading the id strings again. Internal to the rfm
 * capability.
 *
 * Operators' ids are mostly short: MSISDNs (12-15 digits), IMSIs (15 digits), account codes such
 * as `C0412345` or `CUST000123`. Three exact encodings cover them, tried in this order and named by
 * the top two bits of the high word:
 * - `01`: up to 15 decimal digits, four bits each (digit + 1);
 * - `10`: up to 10 characters from `0-9 A-Z a-z -`, six bits each (1..63);
 * - `11`: up to 8 characters of code 1..127, seven bits each.
 * Characters fill the high word's low 30 bits, then the low word, from the most significant end;
 * a code 0 marks "no character", so `007` and `7` differ and ids of different lengths never share
 * a form. Each encoding is one-to-one and an id's encoding depends on the id alone, so equal words
 * mean equal ids. Any other id (longer, other characters) is not packed, and the caller groups by
 * hash and string comparison instead.
 *
 * @packageDocumentation
 */

/** Six-bit codes of `0-9 A-Z a-z -` (1..63) by character code below 128; 0 for every other character. */
const alphanumericCodes = (() => {
  const codes = new Uint8Array(128);
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-';
  for (let k = 0; k < alphabet.length; k++) codes[alphabet.charCodeAt(k)] = k + 1;
  return codes;
})();

/**
 * Writes the packed form of `id` at `high[at]`, `low[at]`, or returns `false` when the id has no
 * packed form. Each encoding is tried in one loop that checks and encodes together, stopping at
 * the first character it cannot take.
 * @internal
 */
export function packCustomerId(id: string, high: Uint32Array, low: Uint32Array, at: number): boolean {
  const length = id.length;
  if (length === 0 || length > 15) return false;
  // Digits: seven in the high word (28 of its 30 bits), eight in the low one.
  let highWord = 0;
  let lowWord = 0;
  let k = 0;
  for (; k < length; k++) {
    const digit = id.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) break;
    if (k < 7) highWord = (highWord << 4) | (digit + 1);
    else lowWord = (lowWord << 4) | (digit + 1);
  }
  if (k === length) {
    if (length < 7) highWord <<= 4 * (7 - length);
    else if (length < 15) lowWord <<= 4 * (15 - length);
    high[at] = (1 << 30) | highWord;
    low[at] = lowWord;
    return true;
  }
  if (length <= 10) {
    highWord = 0;
    lowWord = 0;
    for (k = 0; k < length; k++) {
      const character = id.charCodeAt(k);
      const code = character < 128 ? alphanumericCodes[character]! : 0;
      if (code === 0) break;
      if (k < 5) highWord = (highWord << 6) | code;
      else lowWord = (lowWord << 6) | code;
    }
    if (k === length) {
      if (length < 5) highWord <<= 6 * (5 - length);
      else lowWord <<= 6 * (10 - length);
      high[at] = (2 << 30) | highWord;
      low[at] = lowWord;
      return true;
    }
  }
  if (length > 8) return false;
  highWord = 0;
  lowWord = 0;
  for (k = 0; k < length; k++) {
    const code = id.charCodeAt(k);
    if (code === 0 || code > 127) return false;
    if (k < 4) highWord = (highWord << 7) | code;
    else lowWord = (lowWord << 7) | code;
  }
  if (length < 4) highWord <<= 7 * (4 - length);
  else lowWord <<= 7 * (8 - length);
  high[at] = (3 << 30) | highWord;
  low[at] = lowWord;
  return true;
}
