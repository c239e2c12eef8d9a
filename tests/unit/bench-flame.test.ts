/**
 * Flame graphs of the benchmark's CPU profiles (`scripts/bench/flame.ts`): the tree d3-flame-graph
 * draws, and the page it is drawn in. The bench smoke test opens a real profile's page in Chromium.
 */
import { flameHtml, flameTree, totalUs, type FlameNode } from '../../scripts/bench/flame';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

/**
 * (root) → idle; (garbage collector); send (ours) → emit (library) twice, from two call sites that
 * V8 keeps apart, and → an unsampled `unused`.
 */
function profile() {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)', '') },
      { id: 3, callFrame: frame('(garbage collector)', '') },
      { id: 4, callFrame: frame('send', '/app/dist/server/domain/visitors.js', 9), children: [5, 6, 7] },
      { id: 5, callFrame: frame('emit', '/app/node_modules/socket.io/dist/socket.js', 41) },
      { id: 6, callFrame: frame('emit', '/app/node_modules/socket.io/dist/socket.js', 41) },
      { id: 7, callFrame: frame('unused', 'node:internal/streams/writable') },
    ],
    startTime: 0,
    endTime: 10_000,
    // idle 5,000 µs; send 1,000; emit (node 5) 2,000; GC 500; emit (node 6) 1,500; the last lasts 0.
    samples: [2, 4, 5, 3, 6, 2],
    timeDeltas: [0, 5_000, 1_000, 2_000, 500, 1_500],
  };
}

const child = (node: FlameNode, name: string) => node.children.find((c) => c.name === name);

describe('benchmark flame graphs', () => {
  it('weighs samples by time, leaves idle out, merges the same call and drops empty branches', () => {
    const tree = flameTree(profile(), 'window.cpuprofile');
    expect(tree.name).toBe('window.cpuprofile');
    expect(tree.children.map((c) => c.name).sort()).toEqual(['(garbage collector) :1', 'send server/domain/visitors.js:10']);
    const send = child(tree, 'send server/domain/visitors.js:10');
    expect(send).toMatchObject({ value: 1_000, libtype: 'jit' });
    // Both emit nodes, one frame: 2,000 + 1,500 µs; `unused` had no sample and is gone.
    expect(send?.children).toEqual([{ name: 'emit node_modules/socket.io/dist/socket.js:42', value: 3_500, children: [] }]);
    expect(child(tree, '(garbage collector) :1')).toMatchObject({ value: 500, libtype: 'kernel' });
    expect(totalUs(tree)).toBe(5_000);
  });

  it("fills d3-flame-graph's self-contained page, with no way out of its script element", () => {
    const tree = flameTree(profile(), 'a <b> "c"');
    tree.children.push({ name: '</script><script>alert(1)</script>', value: 1, children: [] });
    const html = flameHtml(tree, 'context </script> text');
    expect(html).toContain('<title>a &#60;b&#62; &#34;c&#34;</title>');
    expect(html).not.toContain('@flamegraph_json');
    expect(html).not.toContain('@options_json');
    expect(html).toContain('"value":3500');
    // The one closing tag of each script is the template's own: the data's are escaped.
    expect(html).not.toContain('</script><script>alert');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>');
    expect(html).toContain('context \\u003c/script> text');
    // Nothing is loaded from elsewhere: the page opens offline.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });
});
