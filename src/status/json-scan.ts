// Checking that a payload is JSON without building it: ingest must refuse a malformed event
// before it answers (SPEC §7: 400 with a reason), but nothing at ingest reads an event's or a
// transaction's payload beyond its top-level `event_id`, and the store parses the stored bytes
// again when first read. A scan of the bytes says "certainly valid" (and finds that id) for
// what SDKs send; anything it is unsure of, it leaves to the strict parser (envelope.ts), which
// then accepts or gives the reason, as before: so the scan only has to be right when it accepts.
// Accepting means: `JSON.parse` of the bytes decoded as UTF-8 succeeds, and no object or array
// nests deeper than `maxDepth` (values.ts nestedDeeper's measure).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** What a scan that accepted found: the top-level `event_id` as JSON.parse would give it. */
export interface JsonScan {
  /** Whether the value is an object (not an array or a scalar). */
  object: boolean;
  /** The string; undefined when there is no such member; null when the scan cannot tell. */
  eventId: string | undefined | null;
}

const EVENT_ID = [0x65, 0x76, 0x65, 0x6e, 0x74, 0x5f, 0x69, 0x64]; // event_id

function skipSpace(b: Uint8Array, i: number): number {
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The index after a string whose opening quote is at `i`; -1 if it is not a valid string. */
function stringEnd(b: Uint8Array, i: number): number {
  for (i++; i < b.length;) {
    const c = b[i++]!;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      const e = b[i++];
      if (e === 0x75 /* u */) {
        if (i + 4 > b.length) return -1;
        for (let k = 0; k < 4; k++) if (!isHex(b[i + k]!)) return -1;
        i += 4;
      } else if (
        e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 &&
        e !== 0x6e && e !== 0x72 && e !== 0x74
      ) return -1;
    } else if (c < 0x20) return -1;
  }
  return -1;
}

function digitsEnd(b: Uint8Array, i: number): number {
  while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  return i;
}

/** The index after a number starting at `i`; -1 if it is not a JSON number. */
function numberEnd(b: Uint8Array, i: number): number {
  if (b[i] === 0x2d /* - */) i++;
  if (b[i] === 0x30) i++;
  else if (b[i]! >= 0x31 && b[i]! <= 0x39) i = digitsEnd(b, i + 1);
  else return -1;
  if (b[i] === 0x2e /* . */) {
    const end = digitsEnd(b, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  if (b[i] === 0x65 || b[i] === 0x45 /* e E */) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    const end = digitsEnd(b, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

function literalEnd(b: Uint8Array, i: number, word: readonly number[]): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** Whether the bytes from `start` to `end` (a string's content) spell `event_id` as they are. */
function isEventIdKey(b: Uint8Array, start: number, end: number): boolean {
  if (end - start !== EVENT_ID.length) return false;
  for (let k = 0; k < EVENT_ID.length; k++) if (b[start + k] !== EVENT_ID[k]) return false;
  return true;
}

/** The plain (ASCII, unescaped) content of a string, or null if it has escapes or non-ASCII. */
function plainString(b: Uint8Array, start: number, end: number): string | null {
  let out = "";
  for (let k = start; k < end; k++) {
    const c = b[k]!;
    if (c === BACKSLASH || c >= 0x80) return null;
    out += String.fromCharCode(c);
  }
  return out;
}

/**
 * Scans `b` (already known to be UTF-8) as one JSON value; null unless it is certainly valid
 * and no deeper than `maxDepth`. A byte order mark or anything unusual gives null: the caller
 * then parses strictly.
 */
export function scanJson(b: Uint8Array, maxDepth: number): JsonScan | null {
  // Open containers, innermost last: true for an object.
  const open: boolean[] = [];
  let eventId: string | undefined | null = undefined;
  // Set after the top-level key `event_id`: the value that follows is the id.
  let idNext = false;
  let i = skipSpace(b, 0);
  const object = b[i] === 0x7b;
  for (;;) {
    // A value starts at i.
    const c = b[i];
    let end: number;
    if (c === 0x7b || c === 0x5b) {
      if (open.length + 1 > maxDepth) return null;
      if (idNext) eventId = null;
      idNext = false;
      i = skipSpace(b, i + 1);
      if (b[i] === (c === 0x7b ? 0x7d : 0x5d)) {
        end = i + 1; // empty
      } else {
        open.push(c === 0x7b);
        if (c === 0x7b) {
          i = keyEnd(i);
          if (i < 0) return null;
        }
        continue;
      }
    } else {
      if (c === QUOTE) end = stringEnd(b, i);
      else if (c === 0x74) end = literalEnd(b, i, TRUE);
      else if (c === 0x66) end = literalEnd(b, i, FALSE);
      else if (c === 0x6e) end = literalEnd(b, i, NULL);
      else end = numberEnd(b, i);
      if (end < 0) return null;
      if (idNext) {
        eventId = c === QUOTE ? plainString(b, i + 1, end - 1) : null;
        idNext = false;
      }
    }
    // After a value: commas and closing brackets until the next value (or the end).
    i = end;
    for (;;) {
      i = skipSpace(b, i);
      if (open.length === 0) return i === b.length ? { object, eventId } : null;
      const inObject = open[open.length - 1]!;
      const d = b[i];
      if (d === 0x2c /* , */) {
        i = skipSpace(b, i + 1);
        if (inObject) {
          i = keyEnd(i);
          if (i < 0) return null;
        }
        break;
      }
      if (d !== (inObject ? 0x7d : 0x5d)) return null;
      open.pop();
      i++;
    }
  }

  /** After a member's key and colon at `k` (the value's start), or -1; notes `event_id`. */
  function keyEnd(k: number): number {
    if (b[k] !== QUOTE) return -1;
    const end = stringEnd(b, k);
    if (end < 0) return -1;
    if (open.length === 1) {
      if (isEventIdKey(b, k + 1, end - 1)) idNext = true;
      // An escaped key may spell event_id: then the scan cannot tell the id.
      else if (b.subarray(k + 1, end - 1).includes(BACKSLASH)) eventId = null;
    }
    k = skipSpace(b, end);
    if (b[k] !== 0x3a /* : */) return -1;
    return skipSpace(b, k + 1);
  }
}
