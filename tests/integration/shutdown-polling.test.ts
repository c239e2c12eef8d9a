/**
 * Closing the app leaves no timer behind for a long-polling client that went away while the server
 * was closing its socket. engine.io delivers a server-side close to such a client on its next
 * poll and waits up to 30 s for it; `io.close()` cannot cut that wait short, so a process that
 * closed its app (a test worker, an embedding) stayed alive for it.
 */
import { request } from 'node:http';
import { startTestApp, type TestApp } from '../support/app';
import { timersLeftBy } from '../support/timers';

/** One long-polling HTTP exchange with the engine.io endpoint, as a browser's would be. */
function poll(t: TestApp, query: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.url}/socket.io/?EIO=4&transport=polling${query}`,
      { method: body === undefined ? 'GET' : 'POST', headers: { origin: t.url, 'content-type': 'text/plain;charset=UTF-8' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('a polling client that stops polling while the server closes its socket holds no 30 s timer after app.close()', async () => {
  const t = await startTestApp();
  let closed = false;
  try {
    const left = await timersLeftBy(async () => {
      const open = JSON.parse((await poll(t, '')).slice(1)) as { sid: string };
      const sid = `&sid=${open.sid}`;
      await poll(t, sid, '40/visitor,{}');
      expect(await poll(t, sid)).toContain('40/visitor,');
      const server = [...t.app.io.of('/visitor').sockets.values()];
      expect(server).toHaveLength(1);
      // The server closes the socket; the client's next poll takes the disconnect packet, and then
      // the client goes away (a closed tab) instead of polling once more for the transport's close.
      server[0].disconnect(true);
      expect(await poll(t, sid)).toContain('41/visitor,');
      await t.stop();
      closed = true;
    }, 30_000);
    expect(left).toBe(0);
  } finally {
    if (!closed) await t.stop();
  }
});
