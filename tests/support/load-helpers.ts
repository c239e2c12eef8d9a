/** Small helpers for load, fuzz and log tests: bounded waiting, batching, log inspection, payload generators. */
import fc from 'fast-check';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import type { z } from 'zod';
import { sleep } from './sockets';

/** Polls `condition` every `everyMs` until it holds; throws after `timeoutMs` (bounded in time and count). */
export async function until(condition: () => boolean, timeoutMs: number, what: string, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / everyMs) + 1;
  for (let i = 0; i < maxPolls; i += 1) {
    if (condition()) return;
    if (Date.now() > deadline) break;
    await sleep(everyMs);
  }
  if (!condition()) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs `task` over `items`, `size` at a time, so hundreds of sockets do not connect at once. */
export async function inBatches<T, R>(items: readonly T[], size: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    const chunk = items.slice(start, start + size);
    results.push(...(await Promise.all(chunk.map((item, i) => task(item, start + i)))));
  }
  return results;
}

/** Rejects when `work` takes longer than `ms`: keeps a load test inside its budget. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Parsed pino lines at or above `level` (30 info, 40 warn, 50 error). */
export function logEntries(lines: readonly string[], minLevel = 0): Record<string, unknown>[] {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => typeof entry.level === 'number' && entry.level >= minLevel);
}

// ---------------------------------------------------------------------------------------------
// Payload generators for the bad-input fuzz

export type Payload = Record<string, unknown>;

/** Keys that have tripped object handling elsewhere: prototype pollution and friends. */
const DANGER_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then', '_placeholder'];

export interface EventSpec {
  event: string;
  schema: z.ZodType;
  /** A valid payload that mutations start from. */
  base: Payload;
}

/**
 * What the server's handler receives, through socket.io's own encoder (the client's) and decoder
 * (the server's): undefined, NaN, Maps, boxed values change on the way, and the client rebuilds a
 * payload carrying binary by assignment, so an own `__proto__` key there never leaves the client.
 */
function wire(event: string, payload: unknown): { view: unknown; bytes: number } | null {
  let parts: unknown[];
  try {
    parts = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: [event, payload], id: 1 });
  } catch {
    // The client cannot send it either (e.g. a Date that became a prototype while rebuilding).
    return null;
  }
  const decoder = new Decoder();
  let data: unknown[] = [];
  decoder.on('decoded', (packet: Packet) => {
    data = Array.isArray(packet.data) ? (packet.data as unknown[]) : [];
  });
  let bytes = 0;
  try {
    for (const part of parts) {
      bytes += typeof part === 'string' ? Buffer.byteLength(part) : ArrayBuffer.isView(part) || part instanceof ArrayBuffer ? part.byteLength : 0;
      decoder.add(part);
    }
  } catch {
    // socket.io refuses the packet itself and closes the connection: tested on its own below.
    return null;
  } finally {
    decoder.destroy();
  }
  return { view: data[1], bytes };
}

/** Plain JSON data, as the contract's payloads are: no binary, no odd prototypes. */
function isJsonData(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function' && typeof value !== 'undefined';
  if (depth > 64) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return proto === Array.prototype && value.every((v) => isJsonData(v, depth + 1));
  return (proto === Object.prototype || proto === null) && Object.values(value).every((v) => isJsonData(v, depth + 1));
}

/** A copy of `obj` with `key` set as an own enumerable property, even for `__proto__`. */
function withOwn(obj: Payload, key: string, value: unknown): Payload {
  const copy: Payload = { ...obj };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A copy of `obj` with the value at `path` replaced (or removed when `remove`). */
function setAt(obj: Payload, path: readonly string[], value: unknown, remove = false): Payload {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (remove) {
      const copy: Payload = { ...obj };
      delete copy[head];
      return copy;
    }
    return withOwn(obj, head, value);
  }
  const inner = obj[head];
  const child: Payload = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Payload) : {};
  return withOwn(obj, head, setAt(child, rest, value, remove));
}

/** Every field path of a valid payload, nested objects included. */
function pathsOf(obj: Payload, prefix: string[] = []): string[][] {
  return Object.entries(obj).flatMap(([key, value]) => {
    const path = [...prefix, key];
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? [path, ...pathsOf(value as Payload, path)] : [path];
  });
}

/** Builds `depth` levels of objects and arrays around `leaf`, iteratively (no recursion limits here). */
function nest(depth: number, key: string, kind: 'object' | 'array' | 'mixed', leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) {
    const asArray = kind === 'array' || (kind === 'mixed' && i % 2 === 0);
    value = asArray ? [value] : withOwn({}, key, value);
  }
  return value;
}

const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(-1),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.string({ maxLength: 20, unit: 'binary' }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.constantFrom('', ' ', 'queue', 'available', 'urgent', 'fr', 'xx', 'true', '1', '../../etc', '<script>', '\u0000', '\u202e'),
);

const hugeUnit = fc.constantFrom('x', ' ', 'a ', '€', '😀', '\u0000', '"', '\\');
const hugeLength = fc.oneof(
  fc.constantFrom(63, 64, 65, 499, 500, 501, 999, 1000, 1001, 1999, 2000, 2001, 7999, 8000, 8001, 8002),
  fc.integer({ min: 8000, max: 9400 }),
);
const hugeString = fc.tuple(hugeUnit, hugeLength).map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

export function payloadArb(spec: EventSpec): fc.Arbitrary<unknown> {
  const fields = pathsOf(spec.base);
  const fieldNames = [...new Set(fields.flat())];
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
    { weight: 2, arbitrary: fc.constantFrom(...DANGER_KEYS) },
    { weight: 2, arbitrary: fc.constantFrom(...fieldNames) },
  );
  const anything = fc.anything({
    key,
    maxDepth: 4,
    maxKeys: 6,
    withBoxedValues: true,
    withObjectString: true,
    withNullPrototype: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withSparseArray: true,
    withTypedArray: true,
    stringUnit: 'binary',
  });
  const path = fc.constantFrom(...fields);
  const replaced = fc.tuple(path, fc.oneof(wrongValue, anything)).map(([p, v]) => setAt(spec.base, p, v));
  const removed = path.map((p) => setAt(spec.base, p, undefined, true));
  const extraKey = fc.tuple(fc.constantFrom(...DANGER_KEYS, 'extra', 'isAdmin'), anything).map(([k, v]) => withOwn(spec.base, k, v));
  const protoWrapped = fc.constantFrom('__proto__', 'constructor').map((k) => withOwn({}, k, k === 'constructor' ? { prototype: { ...spec.base } } : { ...spec.base }));
  const huge = fc.tuple(fc.constantFrom(...fields, ['extra']), hugeString).map(([p, s]) => setAt(spec.base, p, s));
  const deep = fc
    .record({
      depth: fc.integer({ min: 10, max: 1000 }),
      key: fc.constantFrom(...fieldNames, 'a', '__proto__'),
      kind: fc.constantFrom<'object' | 'array' | 'mixed'>('object', 'array', 'mixed'),
      leaf: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)),
      at: fc.constantFrom(...fields, ['__top__']),
    })
    .map(({ depth, key: k, kind, leaf, at }) => (at[0] === '__top__' ? nest(depth, k, kind, leaf) : setAt(spec.base, at, nest(depth, k, kind, leaf))));
  const topLevel = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 30 }),
    hugeString,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant([spec.base]),
    fc.constant(JSON.stringify(spec.base)),
    fc.array(anything, { maxLength: 4 }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: anything },
    { weight: 3, arbitrary: replaced },
    { weight: 1, arbitrary: removed },
    { weight: 2, arbitrary: extraKey },
    { weight: 1, arbitrary: protoWrapped },
    { weight: 2, arbitrary: huge },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: topLevel },
  );
}

/** Only payloads the contract calls invalid as the server receives them, and small enough to pass maxHttpBufferSize. */
export function invalidArb(spec: EventSpec, maxBytes: number): fc.Arbitrary<unknown> {
  return payloadArb(spec).filter((p) => {
    const sent = wire(spec.event, p);
    return sent !== null && (!isJsonData(sent.view) || !spec.schema.safeParse(sent.view).success) && sent.bytes < maxBytes - 256;
  });
}
