/**
 * An answer as JSON text, with every bigint written as a JSON number of all its digits (format.ts
 * makes a sum a bigint only beyond 2^53). JSON numbers have no precision limit (RFC 8259 §6): a
 * BigInt-aware parser reads them exactly; JSON.parse rounds them past 2^53 to the nearest double.
 *
 * Without a bigint the text is JSON.stringify's own, from JSON.stringify itself: the usual answer
 * costs nothing more. JSON.stringify refuses a bigint with a TypeError; only then is the answer
 * written again by the small writer below, which does what JSON.stringify does for the plain data
 * of answers (objects, arrays, strings, numbers, booleans, null, toJSON) and writes bigint digits.
 */
export function answerJson(value: unknown): string {
  // A library may give BigInt a toJSON (often as a string): then JSON.stringify would not throw.
  if (!Object.prototype.hasOwnProperty.call(BigInt.prototype, 'toJSON')) {
    try {
      return JSON.stringify(value);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
    }
  }
  const out = write(value, '', []);
  if (out === undefined) throw new TypeError('an answer must be a JSON value');
  return out;
}

/** JSON text of `v` (under `key` in its holder), or undefined where JSON.stringify omits it. */
function write(v: unknown, key: string, stack: object[]): string | undefined {
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  // Boxed primitives are written as their values, as JSON.stringify does.
  if (v instanceof Number) v = Number(v);
  else if (v instanceof String) v = String(v);
  else if (v instanceof Boolean) v = v.valueOf();
  else if (v instanceof BigInt) v = v.valueOf();
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (v === null) return 'null';
  if (stack.includes(v)) throw new TypeError('an answer must not be circular');
  stack.push(v);
  let s: string;
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) parts.push(write(v[i], String(i), stack) ?? 'null');
    s = `[${parts.join(',')}]`;
  } else {
    const parts: string[] = [];
    for (const k of Object.keys(v)) {
      const item = write((v as Record<string, unknown>)[k], k, stack);
      if (item !== undefined) parts.push(`${JSON.stringify(k)}:${item}`);
    }
    s = `{${parts.join(',')}}`;
  }
  stack.pop();
  return s;
}
