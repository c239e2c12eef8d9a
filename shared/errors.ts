/** Stable error codes of the wire contract, with the English text clients may show. */
export const ERROR_MESSAGES = {
  invalid_payload: 'The request was not understood.',
  too_long: 'The message is too long.',
  closed: 'The service is closed right now.',
  already_active: 'You already have a conversation.',
  blocked: 'You cannot start a new conversation for now.',
  queue_full: 'Too many people are waiting right now. Please try again soon.',
  rate_limited: 'Too many requests. Please slow down.',
  not_chatting: 'There is no conversation to send this to.',
  not_found: 'Not found.',
  not_yours: 'This conversation is not yours.',
  none_waiting: 'Nobody is waiting.',
  at_capacity: 'You have reached your maximum number of conversations.',
  already_taken: 'Someone else has taken this conversation.',
  not_ended: 'The conversation has not ended yet.',
  already_rated: 'Feedback was already given for this conversation.',
  not_available: 'That listener cannot take this conversation.',
  unauthorized: 'Please sign in.',
  forbidden: 'You are not allowed to do this.',
  bad_credentials: 'Wrong username or password.',
  bad_setup_token: 'The setup token is not valid.',
  already_set_up: 'The service is already set up.',
  username_taken: 'That username is taken.',
  internal: 'Something went wrong. Please try again.',
  unavailable: 'The service is temporarily unavailable.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface WireError {
  code: ErrorCode;
  message: string;
}

export type Reply<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };

/** The one error type for expected failures: its code and message are safe to show anyone. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value);
}

/** Turns anything thrown into a reply error; unknown failures never leak their text. */
export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: 'internal', message: ERROR_MESSAGES.internal };
}
