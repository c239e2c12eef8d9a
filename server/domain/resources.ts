/**
 * Emergency and alternative contacts shown to visitors, per language. The built-in list is
 * Belgium's; RESOURCES_FILE replaces it per language (languages the file lacks keep the built-in).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Resource } from '../../shared/protocol';
import type { Config } from '../config';

const EMERGENCY: Record<string, Resource> = {
  fr: {
    name: '112 – Urgences',
    phone: '112',
    url: 'https://www.112.be',
    hours: '24h/24, 7j/7',
    description: 'Police, ambulance, pompiers : si toi ou quelqu’un d’autre êtes en danger maintenant.',
    emergency: true,
  },
  nl: {
    name: '112 – Noodnummer',
    phone: '112',
    url: 'https://www.112.be',
    hours: '24/7',
    description: 'Politie, ziekenwagen, brandweer: als jij of iemand anders nu in gevaar is.',
    emergency: true,
  },
  en: {
    name: '112 – Emergencies',
    phone: '112',
    url: 'https://www.112.be',
    hours: '24/7',
    description: 'Police, ambulance, fire brigade: if you or someone else is in danger right now.',
    emergency: true,
  },
};

const CHILD_FOCUS: Record<string, Resource> = {
  fr: {
    name: 'Child Focus – 116 000',
    phone: '116000',
    url: 'https://childfocus.be/fr-be',
    hours: '24h/24, 7j/7',
    description: 'Disparition d’un enfant, exploitation sexuelle, harcèlement ou chantage en ligne. Gratuit.',
  },
  nl: {
    name: 'Child Focus – 116 000',
    phone: '116000',
    url: 'https://childfocus.be/nl-be',
    hours: '24/7',
    description: 'Vermissing van een kind, seksuele uitbuiting, online afpersing of pesten. Gratis.',
  },
  en: {
    name: 'Child Focus – 116 000',
    phone: '116000',
    url: 'https://childfocus.be',
    hours: '24/7',
    description: 'A missing child, sexual exploitation, online blackmail or harassment. Free.',
  },
};

const ECOUTE_ENFANTS: Record<string, Resource> = {
  fr: {
    name: '103 Écoute-Enfants',
    phone: '103',
    url: 'https://www.103ecoute.be',
    description: 'Pour parler de ce qui te préoccupe, quel que soit le sujet. Gratuit et anonyme.',
  },
  en: {
    name: '103 Écoute-Enfants (in French)',
    phone: '103',
    url: 'https://www.103ecoute.be',
    description: 'A free, anonymous line in French for children and young people, whatever the worry.',
  },
};

const AWEL: Record<string, Resource> = {
  nl: {
    name: 'Awel – 102',
    phone: '102',
    url: 'https://awel.be',
    description: 'Bel, chat of mail over alles wat je bezighoudt. Gratis en anoniem.',
  },
  en: {
    name: 'Awel – 102 (in Dutch)',
    phone: '102',
    url: 'https://awel.be',
    description: 'A free, anonymous line in Dutch (phone, chat, e-mail) for children and young people.',
  },
};

/** The built-in Belgian contacts per language (fr, nl, en). */
export const BUILT_IN_RESOURCES: Readonly<Record<string, Resource[]>> = {
  fr: [EMERGENCY.fr, CHILD_FOCUS.fr, ECOUTE_ENFANTS.fr],
  nl: [EMERGENCY.nl, CHILD_FOCUS.nl, AWEL.nl],
  en: [EMERGENCY.en, CHILD_FOCUS.en, ECOUTE_ENFANTS.en, AWEL.en],
};

const httpUrl = z
  .string()
  .max(500)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http(s) URL');

const resourceSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  phone: z.string().trim().regex(/^[0-9+ ()./-]{2,30}$/).optional(),
  url: httpUrl.optional(),
  hours: z.string().trim().max(120).optional(),
  description: z.string().trim().max(500).optional(),
  emergency: z.boolean().optional(),
});

const fileSchema = z.record(z.string().regex(/^[a-z]{2}$/), z.array(resourceSchema).max(50));

/** Contacts for every configured language: RESOURCES_FILE when set (validated), else the built-in list. */
export function loadResources(config: Pick<Config, 'RESOURCES_FILE' | 'LANGUAGES'>): Record<string, Resource[]> {
  const fromFile = config.RESOURCES_FILE ? readResourcesFile(config.RESOURCES_FILE) : {};
  const result: Record<string, Resource[]> = {};
  for (const language of config.LANGUAGES) {
    const list = fromFile[language] ?? BUILT_IN_RESOURCES[language] ?? BUILT_IN_RESOURCES.en;
    result[language] = list.map((r) => ({ ...r }));
  }
  return result;
}

/** Reads and validates a resources file; throws an Error naming the file and the faulty field. */
export function readResourcesFile(path: string): Record<string, Resource[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new Error(`RESOURCES_FILE ${path} ${reason}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`RESOURCES_FILE ${path} is invalid:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}
