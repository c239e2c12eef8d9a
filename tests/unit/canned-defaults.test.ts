import { makeSchemas } from '../../shared/schemas';
import { defaultCannedResponses } from '../../server/domain/canned-defaults';

describe('defaultCannedResponses', () => {
  const schema = makeSchemas({ languages: ['fr', 'nl', 'en'], topics: ['other'], maxMessageLength: 2000 }).http.cannedSet;

  it.each(['fr', 'nl', 'en'])('gives a valid starter set in %s, with the same ids in every language', (lang) => {
    const responses = defaultCannedResponses(lang);
    expect(responses.length).toBeGreaterThanOrEqual(5);
    expect(schema.safeParse({ responses }).success).toBe(true);
    expect(responses.map((r) => r.id)).toEqual(defaultCannedResponses('en').map((r) => r.id));
  });

  it('mentions 112 in the safety check of every language', () => {
    for (const lang of ['fr', 'nl', 'en']) {
      expect(defaultCannedResponses(lang).find((r) => r.id === 'safety-check')?.text).toContain('112');
    }
  });

  it('returns copies, and English for another language', () => {
    const first = defaultCannedResponses('fr');
    first[0].text = 'changed';
    expect(defaultCannedResponses('fr')[0].text).not.toBe('changed');
    expect(defaultCannedResponses('de')).toEqual(defaultCannedResponses('en'));
  });
});
