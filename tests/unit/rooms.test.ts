/** Room names are the same whether built for the first time or kept, also past the kept limit. */
import { MAX_KEPT_NAMES, rooms } from '../../server/sockets/rooms';

describe('room names', () => {
  it('names each kind of room by its prefix and id', () => {
    expect(rooms.visitor('a1')).toBe('v:a1');
    expect(rooms.user('a1')).toBe('u:a1');
    expect(rooms.session('a1')).toBe('s:a1');
  });

  it('gives the same name for an id every time, across the drop of kept names', () => {
    const ids = Array.from({ length: MAX_KEPT_NAMES + 10 }, (_, i) => `id${i}`);
    for (const id of ids) expect(rooms.visitor(id)).toBe(`v:${id}`);
    // The first ids were dropped once the limit was reached: built again, the same.
    for (const id of ids.slice(0, 20)) expect(rooms.visitor(id)).toBe(`v:${id}`);
    for (const id of ids.slice(-20)) expect(rooms.visitor(id)).toBe(`v:${id}`);
    expect(rooms.user(ids[5])).toBe(`u:${ids[5]}`);
  });
});
