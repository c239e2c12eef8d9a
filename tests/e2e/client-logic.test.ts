/**
 * The client's logic without a browser: the dictionaries (every key translated, no English left in
 * French or Dutch, the same placeholders everywhere), the message log (each seq once, gaps seen)
 * and the small helpers of the pages.
 */
import { MessageLog } from '../../client/ui/message-log';
import { pickLang } from '../../client/ui/i18n/index';
import * as en from '../../client/ui/i18n/en';
import * as fr from '../../client/ui/i18n/fr';
import * as nl from '../../client/ui/i18n/nl';
import { matchCanned, slashQuery } from '../../client/listener/canned';
import { niceMax } from '../../client/supervisor/line-chart';
import { StatsHistory } from '../../client/supervisor/stats-history';
import type { Message, StatsSnapshot } from '../../shared/protocol';

const PARTS = ['common', 'visitor', 'staff'] as const;
/** Words that are the same in English and the other language (checked by a person). */
const SAME_WORD: Record<'fr' | 'nl', string[]> = {
  fr: ['tabTitle', 'logLabel', 'consoleTitle', 'urgent', 'flagLevel_urgent', 'conversationsSection', 'colConversation'],
  nl: ['consoleTitle', 'offline', 'usersSection', 'statOnline', 'colStatus'],
};

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it.each([
    ['fr', fr],
    ['nl', nl],
  ] as const)('%s translates every English string, with the same placeholders', (lang, dict) => {
    for (const part of PARTS) {
      const english: Record<string, string> = en[part];
      const other: Record<string, string> = dict[part];
      expect(Object.keys(other).sort()).toEqual(Object.keys(english).sort());
      for (const key of Object.keys(english)) {
        expect({ key, placeholders: placeholders(other[key]) }).toEqual({ key, placeholders: placeholders(english[key]) });
        if (!SAME_WORD[lang].includes(key)) expect({ key, text: other[key] }).not.toEqual({ key, text: english[key] });
        expect(other[key].trim()).not.toBe('');
      }
    }
  });

  it('picks the first browser language the page speaks, else English', () => {
    expect(pickLang(['nl-BE', 'fr'])).toBe('nl');
    expect(pickLang(['de-DE', 'fr-BE'])).toBe('fr');
    expect(pickLang(['de-DE'])).toBe('fr');
    expect(pickLang(['de-DE'], ['en'])).toBe('en');
    expect(pickLang(['nl'], ['fr', 'en'])).toBe('fr');
  });
});

describe('message log', () => {
  const msg = (seq: number, extra: Partial<Message> = {}): Message => ({ conversationId: 'c1', seq, from: 'listener', text: `m${seq}`, at: new Date(0).toISOString(), ...extra });

  it('keeps each seq once and reports a gap until the missing message arrives', () => {
    const log = new MessageLog('c1');
    expect(log.receive(msg(1)).added).toBe(true);
    expect(log.receive(msg(1)).added).toBe(false);
    log.receive(msg(3));
    expect(log.lastSeq).toBe(1);
    expect(log.hasGap).toBe(true);
    expect(log.nextKnownAfter(1)).toBe(3);
    log.receive(msg(2));
    expect(log.lastSeq).toBe(3);
    expect(log.hasGap).toBe(false);
    expect(log.messages().map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('confirms a pending message by its clientMsgId and ignores other conversations', () => {
    const log = new MessageLog('c1');
    log.addPending('client-id-0001', 'hello');
    const result = log.receive(msg(1, { from: 'visitor', clientMsgId: 'client-id-0001', text: 'hello' }));
    expect(result.confirmed?.clientMsgId).toBe('client-id-0001');
    expect(log.pending()).toEqual([]);
    expect(log.receive({ ...msg(2), conversationId: 'other' }).added).toBe(false);
  });
});

describe('small helpers', () => {
  it('finds quick replies by "/" and the start of their name, accents ignored', () => {
    const list = [
      { id: 'safety-check', title: 'Sécurité', text: 'a' },
      { id: 'welcome', title: 'Accueil', text: 'b' },
    ];
    expect(slashQuery('/sec')).toBe('sec');
    expect(slashQuery('hello /sec')).toBeUndefined();
    expect(matchCanned(list, 'sec').map((r) => r.id)).toEqual(['safety-check']);
    expect(matchCanned(list, 'wel').map((r) => r.id)).toEqual(['welcome']);
  });

  it('rounds chart maxima to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 12, 49, 51].map(niceMax)).toEqual([1, 1, 5, 10, 20, 50, 100]);
  });

  it("puts the server's recorded history before the live stream, without the time the stream covers", () => {
    const now = Date.parse('2030-01-15T12:00:00Z');
    const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const recorded = (minutesAgo: number, waiting: number) => ({ at: iso(minutesAgo), waiting, urgent: 0, oldestWaitSeconds: 60 * waiting, medianWaitSeconds15m: 30, active: 1, available: 1 });
    const live: StatsSnapshot = {
      at: iso(1),
      queue: { waiting: 9, urgent: 0, byLanguage: { fr: 9 }, oldestWaitSeconds: 540, medianWaitSeconds15m: 30 },
      listeners: { online: 0, available: 0, away: 0, atCapacity: 0, list: [] },
      conversations: { active: 0, flagged: [] },
      today: { started: 9, answered: 0, abandoned: 0, medianWaitSeconds: 0, medianDurationSeconds: 0 },
    };
    const history = new StatsHistory();
    history.add(live, now);
    history.seed([recorded(70, 1), recorded(40, 2), recorded(10, 3), recorded(1, 4), recorded(0.5, 5)], now);
    expect(history.window(now).map((s) => [(now - s.at) / 60_000, s.waiting, s.longestWaitSeconds])).toEqual([
      [40, 2, 120],
      [10, 3, 180],
      [1, 9, 540],
      [0, 9, 540],
    ]);
  });
});
