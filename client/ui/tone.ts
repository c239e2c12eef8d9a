/**
 * Short tones made with the Web Audio API (no audio file to download). Browsers only let a page
 * play sound after a click or key press, so the context is created lazily and resumed on use.
 */
let context: AudioContext | undefined;

function beep(ctx: AudioContext, frequency: number, start: number, length: number, volume: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + length + 0.05);
}

/** `soft`: one gentle note (a new conversation or message); `alert`: two higher notes. */
export function playTone(kind: 'soft' | 'alert' = 'soft'): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const now = context.currentTime;
    if (kind === 'alert') {
      beep(context, 880, now, 0.18, 0.2);
      beep(context, 1175, now + 0.22, 0.25, 0.2);
    } else {
      beep(context, 660, now, 0.35, 0.12);
    }
  } catch {
    // No audio device or API: the visual signals still work.
  }
}

/** Call from a click handler so later tones are allowed to play. */
export function unlockAudio(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // Same as above: sound is a bonus.
  }
}
