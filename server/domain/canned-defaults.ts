/**
 * The starter set of canned responses, used for a language until a supervisor saves its own.
 * Short, warm, and never a substitute for listening: listeners adapt them to the conversation.
 */
import type { CannedResponse } from '../../shared/protocol';

const FR: CannedResponse[] = [
  { id: 'welcome', title: 'Accueil', text: 'Bonjour, merci de nous écrire. Je suis là pour t’écouter. Qu’est-ce qui t’amène aujourd’hui ?' },
  { id: 'take-your-time', title: 'Prendre son temps', text: 'Prends tout le temps dont tu as besoin. Tu peux écrire à ton rythme, je reste là.' },
  { id: 'thanks-for-sharing', title: 'Merci de partager', text: 'Merci de m’avoir raconté ça. Ça demande du courage, et ce que tu ressens compte.' },
  { id: 'not-alone', title: 'Pas seul·e', text: 'Tu n’es pas seul·e face à ça. On peut chercher ensemble ce qui pourrait t’aider.' },
  { id: 'safety-check', title: 'Sécurité', text: 'Est-ce que tu es en sécurité en ce moment ? Si tu es en danger, appelle le 112.' },
  { id: 'closing', title: 'Clôture', text: 'Merci pour cette conversation. Tu peux revenir quand tu veux, nous serons là. Prends soin de toi.' },
];

const NL: CannedResponse[] = [
  { id: 'welcome', title: 'Welkom', text: 'Hoi, fijn dat je ons schrijft. Ik ben er om naar je te luisteren. Waarover wil je praten?' },
  { id: 'take-your-time', title: 'Neem je tijd', text: 'Neem gerust de tijd die je nodig hebt. Schrijf op je eigen tempo, ik blijf hier.' },
  { id: 'thanks-for-sharing', title: 'Bedankt om te delen', text: 'Bedankt dat je me dit vertelt. Dat vraagt moed, en wat jij voelt is belangrijk.' },
  { id: 'not-alone', title: 'Niet alleen', text: 'Je staat hier niet alleen voor. We kunnen samen zoeken wat jou kan helpen.' },
  { id: 'safety-check', title: 'Veiligheid', text: 'Ben je op dit moment veilig? Als je in gevaar bent, bel dan 112.' },
  { id: 'closing', title: 'Afsluiten', text: 'Bedankt voor dit gesprek. Je mag altijd terugkomen, we zijn er voor je. Zorg goed voor jezelf.' },
];

const EN: CannedResponse[] = [
  { id: 'welcome', title: 'Welcome', text: 'Hi, thank you for writing to us. I’m here to listen. What would you like to talk about?' },
  { id: 'take-your-time', title: 'Take your time', text: 'Take all the time you need. Write at your own pace, I’m staying right here.' },
  { id: 'thanks-for-sharing', title: 'Thanks for sharing', text: 'Thank you for telling me this. It takes courage, and how you feel matters.' },
  { id: 'not-alone', title: 'Not alone', text: 'You don’t have to face this alone. We can look together at what might help you.' },
  { id: 'safety-check', title: 'Safety check', text: 'Are you safe right now? If you are in danger, please call 112.' },
  { id: 'closing', title: 'Closing', text: 'Thank you for this conversation. You can come back whenever you want, we’ll be here. Take care of yourself.' },
];

const DEFAULTS: Readonly<Record<string, CannedResponse[]>> = { fr: FR, nl: NL, en: EN };

/** Starter responses for a language (English for a language without its own set); fresh copies. */
export function defaultCannedResponses(language: string): CannedResponse[] {
  return (DEFAULTS[language] ?? EN).map((r) => ({ ...r }));
}
