/** Canned responses: every signed-in listener reads them, supervisors edit one language at a time. */
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { CannedResponse } from '../../shared/protocol';
import type { Schemas } from '../../shared/schemas';
import type { Config } from '../config';
import type { Accounts } from '../domain/accounts';
import { defaultCannedResponses } from '../domain/canned-defaults';
import type { Store } from '../store/types';
import { requireStaff, requireSupervisor } from './session';
import { parsePayload } from './validate';

export interface CannedRouterDeps {
  accounts: Accounts;
  config: Config;
  schemas: Schemas;
  store: Store;
}

/** The saved responses of a language, or the starter set while none were saved. */
export async function cannedFor(store: Store, language: string): Promise<CannedResponse[]> {
  return (await store.getCanned(language)) ?? defaultCannedResponses(language);
}

export function cannedRouter(deps: CannedRouterDeps): Router {
  const router = Router();
  const language = z.enum(deps.config.LANGUAGES as [string, ...string[]]);

  router.get('/', requireStaff(deps.accounts), async (_req, res) => {
    const lists = await Promise.all(deps.config.LANGUAGES.map((lang) => cannedFor(deps.store, lang)));
    const responses: Record<string, CannedResponse[]> = {};
    deps.config.LANGUAGES.forEach((lang, i) => (responses[lang] = lists[i]));
    res.json({ responses });
  });

  router.put('/:language', requireSupervisor(deps.accounts), async (req, res) => {
    const lang = parsePayload(language, req.params.language);
    const { responses } = parsePayload(deps.schemas.http.cannedSet, req.body);
    if (new Set(responses.map((r) => r.id)).size !== responses.length) {
      throw new AppError('invalid_payload', 'Each canned response needs its own id.');
    }
    await deps.store.setCanned(lang, responses);
    res.json({ responses });
  });

  return router;
}
