import * as retained from '../../server/store/memory/retained';
import { Transcript, decodeStored, encodeStored, hashId } from '../../server/store/memory/transcript';
import { buildDomain } from '../support/domain-harness';

const at = '2026-11-29T20:00:00.000Z';

describe('in-process transcript (off the heap)', () => {
  it('numbers messages from 1 and reads them back whole, in any script', () => {
    const t = new Transcript('c1');
    const texts = ['hello', 'ça va ? 😀 — ok', 'x'.repeat(2000), 'line\nbreak "quoted" \\ back', '日本語のテキスト', 'lone \ud800 surrogate'];
    texts.forEach((text, i) => {
      const m = t.push({ from: i % 2 === 0 ? 'visitor' : 'listener', text, at, clientMsgId: `id-${i}` });
      expect(m).toEqual({ conversationId: 'c1', seq: i + 1, from: i % 2 === 0 ? 'visitor' : 'listener', text, at, clientMsgId: `id-${i}` });
    });
    t.push({ from: 'system', text: 'ended', at, code: 'ended' });
    expect(t.length).toBe(7);
    expect(t.slice(0).map((m) => m.text)).toEqual([...texts, 'ended']);
    expect(t.slice(2, 4).map((m) => m.seq)).toEqual([3, 4]);
    expect(t.slice(6)).toEqual([{ conversationId: 'c1', seq: 7, from: 'system', text: 'ended', at, code: 'ended' }]);
    expect(t.slice(9)).toEqual([]);
    expect(t.get(2)?.text).toBe(texts[1]);
    expect(t.get(0)).toBeUndefined();
    expect(t.get(8)).toBeUndefined();
    expect(t.get(1.5)).toBeUndefined();
  });

  it('finds a sender\'s clientMsgId, and only that sender\'s', () => {
    const t = new Transcript('c1');
    t.push({ from: 'visitor', text: 'a', at, clientMsgId: 'same' });
    t.push({ from: 'listener', text: 'b', at, clientMsgId: 'other' });
    expect(t.sentBy('visitor', 'same')).toEqual({ conversationId: 'c1', seq: 1, from: 'visitor', text: 'a', at, clientMsgId: 'same' });
    expect(t.sentBy('listener', 'same')).toBeUndefined();
    expect(t.sentBy('listener', 'other')?.seq).toBe(2);
    expect(t.sentBy('visitor', 'missing')).toBeUndefined();
  });

  it('never takes a hash collision for a retry, and still finds both ids', () => {
    expect(hashId('m-329599')).toBe(hashId('m-532382'));
    const t = new Transcript('c1');
    t.push({ from: 'visitor', text: 'first', at, clientMsgId: 'm-329599' });
    expect(t.sentBy('visitor', 'm-532382')).toBeUndefined();
    t.push({ from: 'visitor', text: 'second', at, clientMsgId: 'm-532382' });
    expect(t.sentBy('visitor', 'm-329599')?.seq).toBe(1);
    expect(t.sentBy('visitor', 'm-532382')).toMatchObject({ seq: 2, text: 'second', clientMsgId: 'm-532382' });
  });

  it('keeps every message across many buffer growths', () => {
    const t = new Transcript('c1');
    for (let i = 1; i <= 3000; i += 1) t.push({ from: 'visitor', text: `message ${i} ${'é'.repeat(i % 50)}`, at, clientMsgId: `k${i}` });
    expect(t.length).toBe(3000);
    expect(t.get(1)?.text).toBe('message 1 é');
    expect(t.get(2999)?.text).toBe(`message 2999 ${'é'.repeat(2999 % 50)}`);
    expect(t.sentBy('visitor', 'k1234')?.seq).toBe(1234);
  });

  it('keeps messages whole at chunk edges: exact fits, near misses and messages longer than a chunk', () => {
    const t = new Transcript('c1');
    const texts: string[] = [];
    // Lengths around the chunk sizes (512 bytes to 16 KiB), in 1-, 2-, 3- and 4-byte characters.
    const parts = ['a', 'é', '€', '😀'];
    for (let i = 0; i < 400; i += 1) {
      const part = parts[i % parts.length];
      const size = [1, 300, 437, 438, 439, 1000, 4000, 9000, 20_000][i % 9] + (i % 7);
      texts.push(part.repeat(Math.ceil(size / part.length)));
    }
    texts.forEach((text, i) => t.push({ from: 'visitor', text, at, clientMsgId: `c${i}` }));
    expect(t.slice(0).map((m) => m.text)).toEqual(texts);
    expect(t.get(400)?.text).toBe(texts[399]);
    expect(t.sentBy('visitor', 'c123')?.seq).toBe(124);
  });

  it('wipes: nothing left to read or match, and the bytes it held are zeros', () => {
    const allocated: Buffer[] = [];
    const original = retained.retainedBuffer;
    const spy = jest.spyOn(retained, 'retainedBuffer').mockImplementation((size: number) => {
      const b = original(size);
      allocated.push(b);
      return b;
    });
    const t = new Transcript('c1');
    try {
      for (let i = 0; i < 200; i += 1) t.push({ from: 'visitor', text: `secret ${i}`, at, clientMsgId: `a${i}` });
    } finally {
      spy.mockRestore();
    }
    expect(allocated.length).toBeGreaterThan(1);
    expect(allocated.some((b) => b.includes('secret 199'))).toBe(true);
    t.wipe();
    expect(allocated.every((b) => b.every((byte) => byte === 0))).toBe(true);
    expect(t.length).toBe(0);
    expect(t.slice(0)).toEqual([]);
    expect(t.sentBy('visitor', 'a1')).toBeUndefined();
  });

  it('wipes: nothing left to read or match', () => {
    const t = new Transcript('c1');
    t.push({ from: 'visitor', text: 'secret', at, clientMsgId: 'a' });
    t.wipe();
    expect(t.length).toBe(0);
    expect(t.slice(0)).toEqual([]);
    expect(t.sentBy('visitor', 'a')).toBeUndefined();
  });
});

describe('a stored message as one string', () => {
  const cases = [
    { from: 'visitor', text: 'hello', at, clientMsgId: 'g0m0000001a' },
    { from: 'listener', text: 'j{"not":"json"} \u0018\u0000 ça 😀', at, clientMsgId: 'L_-9' },
    { from: 'system', text: 'ended', at, code: 'ended' },
    { from: 'visitor', text: 'no id at all', at },
    { from: 'visitor', text: '', at: '+275760-09-13T00:00:00.000Z', clientMsgId: 'x'.repeat(64) },
  ] as const;

  it.each(cases)('is compact for what UTF-8 carries, and reads back the same: %j', (fields) => {
    const record = encodeStored(fields);
    expect(record[0]).not.toBe('j');
    expect(decodeStored(Buffer.from(record, 'utf8').toString('utf8'))).toEqual(fields);
  });

  it('keeps JSON for what the compact form cannot carry, and reads it back the same', () => {
    const lone = { from: 'visitor', text: 'half \ud83d of an emoji', at, clientMsgId: 'abcdefgh' } as const;
    const both = { from: 'system', text: 'odd', at, clientMsgId: 'abcdefgh', code: 'assigned' } as const;
    for (const fields of [lone, both]) {
      const record = encodeStored(fields);
      expect(record[0]).toBe('j');
      expect(decodeStored(Buffer.from(record, 'utf8').toString('utf8'))).toEqual(fields);
    }
  });

  it('refuses what it did not write', () => {
    for (const junk of ['', 'x', 'vq\u0001\u0000a', 'vi\u0040\u0000short', 'j{']) expect(() => decodeStored(junk)).toThrow();
  });
});

describe('in-process store: retries of colliding clientMsgIds', () => {
  it('answers each retry with its own original message and stores nothing twice', async () => {
    const h = buildDomain();
    try {
      const { store } = h.domain.ctx;
      await store.createVisitor('hash-v1', 'v1', h.clock.now, 3600);
      await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now: h.clock.now, day: '2030-03-01', maxQueued: 100 });
      const send = (clientMsgId: string, text: string) => store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text, clientMsgId, now: h.clock.now });
      const a = await send('m-329599', 'first');
      const b = await send('m-532382', 'second');
      expect(b.duplicate).toBe(false);
      expect(b.message.seq).toBe(a.message.seq + 1);
      const retryB = await send('m-532382', 'second');
      const retryA = await send('m-329599', 'first');
      expect(retryB).toMatchObject({ duplicate: true, message: { seq: b.message.seq, text: 'second' } });
      expect(retryA).toMatchObject({ duplicate: true, message: { seq: a.message.seq, text: 'first' } });
      expect((await store.readMessages('c1', 0)).map((m) => m.text)).toEqual(['first', 'second']);
    } finally {
      await h.close();
    }
  });
});
