import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MetricsRegistry } from './metrics-registry';

/** The registry's own families (the Node runtime metrics that follow them left out). */
async function ownText(registry: MetricsRegistry): Promise<string> {
  const text = await registry.render();
  return text.slice(0, text.indexOf('# HELP process_'));
}

void describe('metrics instruments', () => {
  void it('writes a histogram in Prometheus text: cumulative buckets, +Inf, sum and count per label set', async () => {
    const registry = new MetricsRegistry();
    const h = registry.histogram('t_seconds', 'A test.', ['route'], [0.1, 1]);
    const child = h.labels('/a');
    child.observe(0.05);
    child.observe(0.5);
    child.observe(5);
    const text = await ownText(registry);
    assert.equal(
      text,
      [
        '# HELP t_seconds A test.',
        '# TYPE t_seconds histogram',
        't_seconds_bucket{route="/a",le="0.1"} 1',
        't_seconds_bucket{route="/a",le="1"} 2',
        't_seconds_bucket{route="/a",le="+Inf"} 3',
        't_seconds_sum{route="/a"} 5.55',
        't_seconds_count{route="/a"} 3',
        '',
      ].join('\n'),
    );
  });

  void it('escapes label values and returns the same child and the same family when asked again', async () => {
    const registry = new MetricsRegistry();
    const c = registry.counter('t_total', 'Counts.', ['v']);
    c.labels('a"b\\c\nd').inc(2);
    assert.equal(c.labels('x'), c.labels('x'));
    assert.equal(registry.counter('t_total', 'Counts.', ['v']), c);
    assert.throws(() => registry.gauge('t_total', 'Not a gauge.'), /already declared as a counter/);
    assert.match(await ownText(registry), /^t_total\{v="a\\"b\\\\c\\nd"\} 2$/m);
  });

  void it('reads gauge sources at scrape time, summed, and forgets a removed source', async () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge('t_connections', 'Connections.', ['transport']);
    const off = g.addSource(() => [
      [['sse'], 2],
      [['ws'], 1],
    ]);
    g.addSource(async () => Promise.resolve([[['sse'], 3]] as [string[], number][]));
    assert.match(await ownText(registry), /^t_connections\{transport="sse"\} 5$/m);
    off();
    const text = await ownText(registry);
    assert.match(text, /^t_connections\{transport="sse"\} 3$/m);
    assert.match(text, /^t_connections\{transport="ws"\} 0$/m);
  });
});
