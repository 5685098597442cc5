import { runScenarios, ScenarioContext, text } from '@lib/testing';

/** `gated`: view and create allowed with the header `X-Gate-Token: open-sesame`; one record. */
async function gated(t: ScenarioContext): Promise<void> {
  const rule = '@request.headers.x_gate_token = "open-sesame"';
  await t.createCollection({ name: 'gated', viewRule: rule, createRule: rule, fields: [text('title')] });
  t.vars.gated = (await t.createRecord('gated', { title: 'g' })).id;
}

// `@request.headers` is read from the request only when a rule looks at it: names lower-cased, `-` as `_`.
runScenarios('rules on @request.headers', [
  {
    name: 'view rule: the matching header shows the record',
    method: 'GET',
    url: (t) => t.records('gated', t.vars.gated),
    headers: { 'X-Gate-Token': 'open-sesame' },
    before: gated,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: (t) => ({ id: t.vars.gated }),
  },
  {
    name: 'view rule: another value → 404',
    method: 'GET',
    url: (t) => t.records('gated', t.vars.gated),
    headers: { 'X-Gate-Token': 'wrong' },
    before: gated,
    expectStatus: 404,
    expectEvents: { '*': 0 },
  },
  {
    name: 'create rule (decided in memory): the matching header creates',
    method: 'POST',
    url: (t) => t.records('gated'),
    headers: { 'X-Gate-Token': 'open-sesame' },
    body: { title: 'in' },
    before: gated,
    expectStatus: 200,
    expectEvents: { 'record.created': 1 },
    expectBody: { title: 'in' },
  },
  {
    name: 'create rule: without the header → 400',
    method: 'POST',
    url: (t) => t.records('gated'),
    body: { title: 'out' },
    before: gated,
    expectStatus: 400,
    expectEvents: { '*': 0 },
  },
]);
