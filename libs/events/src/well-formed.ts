/**
 * The index of the first lone UTF-16 surrogate in `s`, or -1 when `s` is well-formed Unicode.
 * Avro (and UTF-8 anywhere downstream) writes each lone surrogate as U+FFFD, so "p-\ud800" and
 * "p-\udbff" would become one id: such strings are refused at the way in. A plain charCodeAt loop
 * (no regex, no allocation); a unit outside 0xD800-0xDFFF costs one comparison.
 */
export function loneSurrogateIndex(s: string): number {
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    // A high surrogate followed by a low one is a pair (one code point above U+FFFF).
    if (c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** The reason tail for a field holding a lone surrogate, or undefined when `s` is well-formed. */
export function malformedUnicodeReason(s: string): string | undefined {
  const i = loneSurrogateIndex(s);
  return i < 0 ? undefined : `must be well-formed Unicode (lone surrogate at index ${i})`;
}
