/**
 * Honest wait estimates. A visitor at place `position` waits for `position` conversations to
 * free a slot among the listeners who speak their language; slots free up at a rate of
 * slots / typical duration. With nobody online we cannot promise anything soon, so we say so
 * with a long estimate rather than a cheerful one.
 */
import type { PresenceRecord } from '../store/types';

/** Used until the service has measured today's typical conversation length. */
export const DEFAULT_DURATION_SECONDS = 20 * 60;
/** What we announce when nobody who speaks the language is online. */
export const NOBODY_ONLINE_SECONDS = 60 * 60;

export interface WaitModel {
  /** Slots (maxConcurrent) per language among listeners who are online and available. */
  slots: Record<string, number>;
  /** Free slots per language right now. */
  free: Record<string, number>;
  medianDurationSeconds: number;
}

/** Builds the per-language capacity picture from presences. */
export function waitModel(languages: readonly string[], presences: readonly PresenceRecord[], medianDurationSeconds: number): WaitModel {
  const slots: Record<string, number> = {};
  const free: Record<string, number> = {};
  for (const lang of languages) {
    slots[lang] = 0;
    free[lang] = 0;
  }
  for (const p of presences) {
    if (p.status !== 'available' || p.connections === 0) continue;
    for (const lang of p.languages) {
      if (!(lang in slots)) continue;
      slots[lang] += p.maxConcurrent;
      free[lang] += Math.max(0, p.maxConcurrent - p.load);
    }
  }
  return { slots, free, medianDurationSeconds: medianDurationSeconds > 0 ? medianDurationSeconds : DEFAULT_DURATION_SECONDS };
}

/** Seconds a visitor at 1-based `position` in `language` may expect to wait. */
export function estimateWait(model: WaitModel, language: string, position: number): number {
  const slots = model.slots[language] ?? 0;
  if (slots === 0) return NOBODY_ONLINE_SECONDS;
  const ahead = Math.max(0, position - (model.free[language] ?? 0));
  if (ahead === 0) return 0;
  return Math.ceil((ahead * model.medianDurationSeconds) / slots);
}
