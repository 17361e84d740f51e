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

/** The six-bit code of a character of `0-9 A-Z a-z -`, or 0. */
function alphanumericCode(code: number): number {
  if (code >= 48 && code <= 57) return code - 47;
  if (code >= 65 && code <= 90) return code - 54;
  if (code >= 97 && code <= 122) return code - 60;
  return code === 45 ? 63 : 0;
}

/**
 * Writes the packed form of `id` at `high[at]`, `low[at]`, or returns `false` when the id has no
 * packed form.
 * @internal
 */
export function packCustomerId(id: string, high: Uint32Array, low: Uint32Array, at: number): boolean {
  const length = id.length;
  if (length === 0 || length > 15) return false;
  let digits = true;
  let alphanumeric = length <= 10;
  let ascii = length <= 8;
  for (let k = 0; k < length; k++) {
    const code = id.charCodeAt(k);
    if (code < 48 || code > 57) digits = false;
    if (alphanumericCode(code) === 0) alphanumeric = false;
    if (code === 0 || code > 127) ascii = false;
  }
  let bits: number;
  let perWord: number;
  let tag: number;
  if (digits) {
    bits = 4;
    tag = 1;
    // Seven digits in the high word (28 of its 30 bits), eight in the low one.
    perWord = 7;
  } else if (alphanumeric) {
    bits = 6;
    tag = 2;
    perWord = 5;
  } else if (ascii) {
    bits = 7;
    tag = 3;
    perWord = 4;
  } else {
    return false;
  }
  const lowCharacters = Math.floor(32 / bits);
  let highWord = 0;
  let lowWord = 0;
  for (let k = 0; k < perWord + lowCharacters; k++) {
    let code = 0;
    if (k < length) {
      const character = id.charCodeAt(k);
      code = digits ? character - 47 : alphanumeric ? alphanumericCode(character) : character;
    }
    if (k < perWord) highWord = (highWord << bits) | code;
    else lowWord = (lowWord << bits) | code;
  }
  high[at] = (tag << 30) | highWord;
  low[at] = lowWord;
  return true;
}
