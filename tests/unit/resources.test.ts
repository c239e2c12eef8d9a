import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_RESOURCES, loadResources } from '../../server/domain/resources';

describe('loadResources', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ps-resources-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (content: string) => {
    const path = join(dir, 'resources.json');
    writeFileSync(path, content);
    return path;
  };

  it('gives Belgium’s contacts per language by default, 112 first and marked as the emergency', () => {
    const resources = loadResources({ LANGUAGES: ['fr', 'nl', 'en'] });
    const phones = (lang: string) => resources[lang].map((r) => r.phone);
    expect(phones('fr')).toEqual(['112', '116000', '103']);
    expect(phones('nl')).toEqual(['112', '116000', '102']);
    expect(phones('en')).toEqual(['112', '116000', '103', '102']);
    for (const lang of ['fr', 'nl', 'en']) {
      expect(resources[lang][0].emergency).toBe(true);
      expect(resources[lang].every((r) => r.description && r.description.length > 10)).toBe(true);
    }
    expect(resources.fr[0].description).not.toEqual(resources.nl[0].description);
  });

  it('falls back to English for a configured language without its own list', () => {
    expect(loadResources({ LANGUAGES: ['de'] }).de).toEqual(BUILT_IN_RESOURCES.en);
  });

  it('reads RESOURCES_FILE, keeping the built-in list for languages it lacks', () => {
    const path = file(JSON.stringify({ fr: [{ name: 'Ligne locale', phone: '0800 12 345', url: 'https://example.org' }] }));
    const resources = loadResources({ LANGUAGES: ['fr', 'nl'], RESOURCES_FILE: path });
    expect(resources.fr).toEqual([{ name: 'Ligne locale', phone: '0800 12 345', url: 'https://example.org' }]);
    expect(resources.nl).toEqual(BUILT_IN_RESOURCES.nl);
  });

  it.each([
    ['{ not json', 'is not valid JSON'],
    [JSON.stringify({ fr: [{ name: 'X', url: 'javascript:alert(1)' }] }), 'fr.0.url'],
    [JSON.stringify({ fr: [{ name: 'X', extra: 1 }] }), 'fr.0'],
    [JSON.stringify({ fr: [{ phone: '112' }] }), 'fr.0.name'],
    [JSON.stringify({ french: [] }), 'french'],
  ])('refuses an invalid file (%s) naming the problem', (content, detail) => {
    const path = file(content);
    expect(() => loadResources({ LANGUAGES: ['fr'], RESOURCES_FILE: path })).toThrow(detail);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadResources({ LANGUAGES: ['fr'], RESOURCES_FILE: join(dir, 'missing.json') })).toThrow('cannot be read');
  });
});
