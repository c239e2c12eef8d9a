/** Message text rules shared by server and browser. */
import { makeSchemas, normaliseText } from '../../shared/schemas';

describe('message text', () => {
  it('is trimmed, refused when empty, and too long past the limit in characters', () => {
    expect(normaliseText('  hi  ', 5)).toBe('hi');
    expect(normaliseText(' \n\t ', 5)).toBeNull();
    expect(normaliseText('abcdef', 5)).toBe('too_long');
  });

  it('counts an emoji as one character', () => {
    expect(normaliseText('😀'.repeat(5), 5)).toBe('😀'.repeat(5));
    expect(normaliseText('😀'.repeat(6), 5)).toBe('too_long');
  });

  it('lets any string through the schema so that length is judged as too_long, not invalid_payload', () => {
    const schemas = makeSchemas({ languages: ['en'], topics: ['other'], maxMessageLength: 10 });
    const long = 'x'.repeat(1000);
    expect(schemas.visitor.messageSend.safeParse({ clientMsgId: 'abcdefgh', text: long }).success).toBe(true);
    expect(normaliseText(long, 10)).toBe('too_long');
    expect(schemas.visitor.messageSend.safeParse({ clientMsgId: 'short', text: 'x' }).success).toBe(false);
    expect(schemas.visitor.messageSend.safeParse({ clientMsgId: 'abcdefgh', text: 'x', extra: 1 }).success).toBe(false);
  });
});
