/** socket.io-client helpers: connect with the right Origin, emit with ack, wait for events. */
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket;

const open: Socket[] = [];
/** Events seen but not yet taken by `next`, so nothing emitted right after connect is missed. */
const inbox = new WeakMap<Socket, { event: string; payload: unknown }[]>();

function record(socket: Socket): Socket {
  const box: { event: string; payload: unknown }[] = [];
  inbox.set(socket, box);
  socket.onAny((event: string, payload: unknown) => {
    box.push({ event, payload });
    if (box.length > 1000) box.shift();
  });
  return socket;
}

/** Connects to a namespace (websocket only unless told otherwise) and waits for `connect`. */
export async function connect(
  baseUrl: string,
  namespace: '/visitor' | '/listener' | '/supervisor',
  options: { token?: string; cookie?: string; origin?: string; transports?: ('websocket' | 'polling')[] } = {},
): Promise<Socket> {
  const socket = io(`${baseUrl}${namespace}`, {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: { origin: options.origin ?? new URL(baseUrl).origin, ...(options.cookie ? { cookie: options.cookie } : {}) },
  });
  open.push(record(socket));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Creates the socket without waiting (to observe connect_error). */
export function rawSocket(baseUrl: string, namespace: string, options: Parameters<typeof io>[1] = {}): Socket {
  const socket = io(`${baseUrl}${namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  open.push(record(socket));
  return socket;
}

/** Emits and resolves with the acknowledgement. */
export function ack<T = Record<string, unknown>>(socket: Socket, event: string, payload?: unknown, timeoutMs = 5000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

/** Resolves with the first unseen `event` payload (already received or coming) that satisfies `match`. */
export function next<T = Record<string, unknown>>(socket: Socket, event: string, match: (p: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  const box = inbox.get(socket) ?? [];
  const i = box.findIndex((e) => e.event === event && match(e.payload as T));
  if (i >= 0) return Promise.resolve(box.splice(i, 1)[0].payload as T);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      const at = box.findIndex((e) => e.payload === payload);
      if (at >= 0) box.splice(at, 1);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Collects every payload of `event` from now on. */
export function collect<T = Record<string, unknown>>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (p: T) => seen.push(p));
  return seen;
}

export function closeAll(): void {
  while (open.length) open.pop()?.disconnect();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let idCounter = 0;
/** A valid clientMsgId. */
export const msgId = () => `m${Date.now().toString(36)}${(idCounter += 1).toString(36).padStart(6, '0')}`;
