/**
 * A conversation's messages, kept off the JavaScript heap: byte chunks of the messages' records, their
 * end offsets, and per sender a table (IdIndex) from a 30-bit hash of each clientMsgId to its seq.
 *
 * A single node holds every open transcript, and the garbage collector's work grows with the
 * number of heap objects it walks and copies, not with bytes. A string per message and a
 * clientMsgId string per map entry were two objects a message: after a few hundred thousand
 * messages the in-process server's p99 passed 50 ms with its CPU half idle (docs/benchmarks.md).
 * Buffer contents, small-integer arrays and typed-array tables (IdIndex) are nothing for it to trace.
 * The chunks and tables are also left out of V8's external-memory accounting (see retained.ts): their
 * growth would otherwise start full collections that cannot free them.
 *
 * The chunks grow from 512 bytes to 16 KiB and are never copied: a growing buffer copied its whole
 * content on each doubling, and since the conversations of a busy node grow together, those copies
 * came in bursts (in a benchmark window, 3.6 µs of CPU a message went to growing, copying and
 * writing transcript buffers, and 17 ms stretches to copies alone). A message never straddles two
 * chunks, so it reads back from one.
 *
 * A hash hit is checked against the stored message, so a collision is never taken for a retry;
 * colliding ids (about one in a billion per pair) go to a small exact map. Appends serialise once
 * (`encodeStored`); reads (sync, an assignment's history, a retried send) decode.
 */
import type { Message, SystemCode } from '../../../shared/protocol';
import { IdIndex, MAX_KEY } from './id-index';
import { retainedBuffer } from './retained';

type Stored = Omit<Message, 'conversationId' | 'seq'>;
type Sender = Extract<Message['from'], 'visitor' | 'listener'>;

const FIRST_CHUNK_BYTES = 512;
/** Chunks double up to this size; a longer message gets a chunk of its own size. */
const MAX_CHUNK_BYTES = 16_384;
/** Keys stay small integers, as IdIndex takes them. */
const HASH_MASK = MAX_KEY;

const FROM_TAGS = { visitor: 'v', listener: 'l', system: 's' } as const;
const FROM_OF_TAG: Readonly<Record<string, Stored['from']>> = { v: 'visitor', l: 'listener', s: 'system' };
/** A length in a header is one UTF-16 code unit, which UTF-8 carries back unchanged below the surrogates. */
const MAX_HEADER_LENGTH = 0xd7ff;
/** A surrogate that is not half of a pair: UTF-8 cannot carry it (the write would make it U+FFFD). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A stored message as one string, written to its chunk as UTF-8: the sender's tag, what the id
 * field holds (`i` clientMsgId, `c` system code, `n` nothing), the lengths of the time and of that
 * field as one code unit each, then the time, the field and the text. Building it costs a quarter
 * of `JSON.stringify` (0.24-0.38 against 1.0-1.1 µs for the benchmark's message in a loop), on the
 * path of every message. Text that UTF-8 cannot carry (a lone surrogate) and anything else unusual
 * is kept as JSON after a `j`, as every message was before.
 */
export function encodeStored(fields: Stored): string {
  const { from, text, at, clientMsgId, code } = fields;
  const id = clientMsgId ?? code ?? '';
  const compact =
    (clientMsgId === undefined || code === undefined) &&
    at.length <= MAX_HEADER_LENGTH &&
    id.length <= MAX_HEADER_LENGTH &&
    !LONE_SURROGATE.test(text) &&
    !LONE_SURROGATE.test(at) &&
    !LONE_SURROGATE.test(id);
  if (!compact) return `j${JSON.stringify(fields)}`;
  const kind = clientMsgId !== undefined ? 'i' : code !== undefined ? 'c' : 'n';
  return FROM_TAGS[from] + kind + String.fromCharCode(at.length, id.length) + at + id + text;
}

/**
 * The message `encodeStored` wrote; throws on anything else. A JSON error may quote the record:
 * callers must not pass it on.
 */
export function decodeStored(record: string): Stored {
  if (record[0] === 'j') return JSON.parse(record.slice(1)) as Stored;
  const from = FROM_OF_TAG[record[0]];
  const kind = record[1];
  const idStart = 4 + record.charCodeAt(2);
  const textStart = idStart + record.charCodeAt(3);
  const known = from !== undefined && (kind === 'i' || kind === 'c' || kind === 'n');
  if (!known || textStart > record.length) throw new Error('unreadable');
  const stored: Stored = { from, text: record.slice(textStart), at: record.slice(4, idStart) };
  if (kind === 'i') stored.clientMsgId = record.slice(idStart, textStart);
  else if (kind === 'c') stored.code = record.slice(idStart, textStart) as SystemCode;
  return stored;
}

/** FNV-1a over the UTF-16 code units, masked to a small integer. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & HASH_MASK;
}

export class Transcript {
  private chunks: Buffer[] = [];
  /**
   * Where each chunk starts among the transcript's offsets: the sum of the earlier chunks' sizes.
   * The bytes a chunk leaves unused at its end have offsets too, which no message covers.
   */
  private starts: number[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;
  /**
   * ends[n - 1]: the offset where the record of the message with seq n ends. It starts where seq n - 1
   * ends, or where its chunk starts when it opened a new one.
   */
  private readonly ends: number[] = [];
  private readonly sent: Record<Sender, IdIndex> = { visitor: new IdIndex(), listener: new IdIndex() };
  /** Ids whose hash another id of the same sender took first: `${from}:${clientMsgId}` → seq. */
  private collided: Map<string, number> | null = null;

  constructor(private readonly conversationId: string) {}

  get length(): number {
    return this.ends.length;
  }

  /** Appends with the next seq (one past the last) and returns the stored message. */
  push(fields: Stored): Message {
    const seq = this.ends.length + 1;
    this.append(encodeStored(fields));
    if (fields.clientMsgId !== undefined && fields.from !== 'system') this.remember(fields.from, fields.clientMsgId, seq);
    return { conversationId: this.conversationId, seq, ...fields };
  }

  /** The message a sender stored under this clientMsgId, if any (read once: a retry's answer). */
  sentBy(from: Sender, clientMsgId: string): Message | undefined {
    const seq = this.sent[from].get(hashId(clientMsgId));
    if (seq !== undefined) {
      const stored = this.stored(seq);
      if (stored.clientMsgId === clientMsgId) return this.message(seq, stored);
    }
    const collided = this.collided?.get(`${from}:${clientMsgId}`);
    return collided === undefined ? undefined : this.message(collided);
  }

  /** Messages with seq in (start, end], in order; all after `start` without an end. */
  slice(start: number, end?: number): Message[] {
    const first = Math.max(0, start);
    const last = Math.min(this.ends.length, end ?? this.ends.length);
    const out: Message[] = [];
    for (let seq = first + 1; seq <= last; seq += 1) out.push(this.message(seq));
    return out;
  }

  /** The message with this seq; undefined outside the transcript. */
  get(seq: number): Message | undefined {
    return Number.isInteger(seq) && seq >= 1 && seq <= this.ends.length ? this.message(seq) : undefined;
  }

  /** Overwrites the text with zeros and forgets it (the conversation is being deleted). */
  wipe(): void {
    for (const chunk of this.chunks) chunk.fill(0);
    this.chunks = [];
    this.starts = [];
    this.used = 0;
    this.ends.length = 0;
    this.sent.visitor.clear();
    this.sent.listener.clear();
    this.collided = null;
  }

  private append(record: string): void {
    const chunk = this.chunkWithRoom(record);
    this.used += chunk.write(record, this.used, 'utf8');
    this.ends.push(this.starts[this.starts.length - 1] + this.used);
  }

  /** The last chunk if the record fits in what it has left, otherwise a new one. */
  private chunkWithRoom(record: string): Buffer {
    const last = this.chunks.at(-1);
    const free = last ? last.length - this.used : 0;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: the exact size is counted only near the end of a chunk.
    if (last && record.length * 3 <= free) return last;
    const bytes = Buffer.byteLength(record, 'utf8');
    return last && bytes <= free ? last : this.addChunk(bytes);
  }

  /** A new last chunk for a message of `bytes`: the next size up, or the message's own size. */
  private addChunk(bytes: number): Buffer {
    const last = this.chunks.length - 1;
    const previous = this.chunks[last];
    const size = Math.max(bytes, previous ? Math.min(previous.length * 2, MAX_CHUNK_BYTES) : FIRST_CHUNK_BYTES);
    const chunk = retainedBuffer(size);
    this.starts.push(previous ? this.starts[last] + previous.length : 0);
    this.chunks.push(chunk);
    this.used = 0;
    return chunk;
  }

  /** The chunk holding the message that ends at `end`: the last one starting before it. */
  private chunkEnding(end: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] < end) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private remember(from: Sender, clientMsgId: string, seq: number): void {
    if (!this.sent[from].add(hashId(clientMsgId), seq)) (this.collided ??= new Map()).set(`${from}:${clientMsgId}`, seq);
  }

  private stored(seq: number): Stored {
    const end = this.ends[seq - 1];
    const k = this.chunkEnding(end);
    const from = this.starts[k];
    const start = Math.max(seq === 1 ? 0 : this.ends[seq - 2], from);
    try {
      return decodeStored(this.chunks[k].toString('utf8', start - from, end - from));
    } catch {
      // A parse error quotes its input, and errors are logged: never let message text out that way.
      throw new Error(`transcript entry ${seq} is unreadable`);
    }
  }

  private message(seq: number, stored: Stored = this.stored(seq)): Message {
    return { conversationId: this.conversationId, seq, ...stored };
  }
}
