/** JSON over fetch, same origin only; errors come back as the wire error code, never thrown. */
export type HttpResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; code: string };

interface ErrorBody {
  error?: { code?: unknown };
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<HttpResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
  let parsed: unknown;
  try {
    parsed = res.status === 204 ? {} : await res.json();
  } catch {
    parsed = {};
  }
  if (res.ok) return { ok: true, status: res.status, data: parsed as T };
  const code = (parsed as ErrorBody).error?.code;
  return { ok: false, status: res.status, code: typeof code === 'string' ? code : 'internal' };
}
