import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_POSTS, type Case, runner } from './testing/fixture';

const run = runner();

const cases: Case[] = [
  // equality on text, with the empty/null rules of §6.6
  ['title = "Hello World"', ['p1']],
  ["title = 'Hello World'", ['p1']],
  ["title != 'Hello World'", ['p2', 'p3', 'p4', 'p5']],
  ["title = ''", ['p3']],
  ['title = null', ['p3']],
  ["title != ''", ['p1', 'p2', 'p4', 'p5']],
  ['title != null', ['p1', 'p2', 'p4', 'p5']],
  ["'' = title", ['p3']],
  ['null != title', ['p1', 'p2', 'p4', 'p5']],
  ["status = 'draft'", ['p1', 'p4']],
  ["status = ''", ['p3']],
  ["status != 'draft'", ['p2', 'p3', 'p5']],
  ['title = status', ['p3']],
  ['title != status', ['p1', 'p2', 'p4', 'p5']],
  // numbers
  ['views > 5', ['p1', 'p3', 'p5']],
  ['views >= 10', ['p1', 'p5']],
  ['views < 0', ['p4']],
  ['views <= 0', ['p2', 'p4']],
  ['views = 5.5', ['p3']],
  ['views = -3', ['p4']],
  ['views > -3.5', ALL_POSTS],
  ['views = 0', ['p2']],
  ['views != 0', ['p1', 'p3', 'p4', 'p5']],
  ["views = '10'", ['p1']],
  ['views>=10&&views<=10', ['p1']],
  // booleans
  ['published = true', ['p1', 'p3', 'p5']],
  ['published = false', ['p2', 'p4']],
  ['published != true', ['p2', 'p4']],
  ['true = published', ['p1', 'p3', 'p5']],
  // LIKE
  ["title ~ 'hello'", ['p1', 'p5']],
  ["title !~ 'hello'", ['p2', 'p3', 'p4']],
  ["title ~ 'hello%'", ['p1', 'p5']],
  ["title ~ '%world'", ['p1']],
  ["title ~ '_'", ['p2']],
  ["title ~ '%100%'", ['p2']],
  ["title ~ '100%'", []],
  ["title ~ '0%'", []],
  ['title ~ "0 %"', []],
  ["title ~ '%'", ALL_POSTS],
  ['title ~ "O\'Reilly"', ['p4']],
  ["title ~ 'o\\'reilly'", ['p4']],
  ['title ~ "\\"quotes\\""', ['p4']],
  ['views ~ 5', ['p3']],
  ["title ~ ''", ALL_POSTS],
  ["'Hello World!' ~ title", ['p1', 'p3']],
  ["title ?~ 'again'", ['p5']],
  ["title ?!~ 'again'", ['p1', 'p2', 'p3', 'p4']],
  // exact text with both quote kinds and a backslash
  [`title = 'O\\'Reilly "quotes" \\ back'`, ['p4']],
  [`title = "O'Reilly \\"quotes\\" \\ back"`, ['p4']],
  // ? operators on single values behave like the plain ones
  ["title ?= 'Hello World'", ['p1']],
  ['views ?> 5', ['p1', 'p3', 'p5']],
  ['views ?>= 10', ['p1', 'p5']],
  ['views ?< 0', ['p4']],
  ['views ?<= 0', ['p2', 'p4']],
  ["status ?!= 'draft'", ['p2', 'p3', 'p5']],
  // literals on both sides
  ['null = null', ALL_POSTS],
  ["'' = null", ALL_POSTS],
  ["'' != null", []],
  ['1 = 1', ALL_POSTS],
  ['1 = 2', []],
  ["'a' != 'a'", []],
  ['1 < 2', ALL_POSTS],
  // :lower
  ["title:lower = 'hello world'", ['p1']],
  ["'alice' = author.name:lower", ['p1', 'p5']],
  ["title:lower ~ 'HELLO'", ['p1', 'p5']],
  // and / or precedence, groups, comments, whitespace
  ["title = 'Hello World' || views = 0", ['p1', 'p2']],
  ['views > 0 && published = true', ['p1', 'p3', 'p5']],
  ["views > 0 && published = true || status = 'published'", ['p1', 'p2', 'p3', 'p5']],
  ["status = 'published' || views > 0 && published = true", ['p1', 'p2', 'p3', 'p5']],
  ["(status = 'published' || views > 0) && published = true", ['p1', 'p3', 'p5']],
  ["((((status = 'draft'))))", ['p1', 'p4']],
  ["title = 'Hello World' // trailing comment", ['p1']],
  ['views < 1 // first line\n && published = false', ['p2', 'p4']],
  ['\n\tviews\n<\n1\n', ['p2', 'p4']],
  // dates and macros
  ["created >= '2024-01-01 00:00:00.000Z' && created < '2025-01-01'", ['p1', 'p2', 'p3']],
  ['created < @now', ALL_POSTS],
  ['created > @yesterday', []],
  ['created < @todayStart && created < @todayEnd && created < @tomorrow', ALL_POSTS],
  ['@monthStart < @monthEnd && @yearStart < @yearEnd && @yearStart <= @monthStart', ALL_POSTS],
  ['@year > 2000 && @month >= 1 && @month <= 12 && @day >= 1 && @weekday <= 6', ALL_POSTS],
  ['@hour >= 0 && @minute < 60 && @second < 60', ALL_POSTS],
  // strftime
  ["strftime('%Y', created) = '2024'", ['p1', 'p2', 'p3']],
  ['strftime(\'%Y-%m\', created) = "2024-02"', ['p2']],
  ["strftime('%Y', created, 'start of year', '+1 year',) = '2025'", ['p1', 'p2', 'p3']],
  ["strftime('%Y', author.name) = ''", ALL_POSTS],
  ["strftime('%Y', '2024-05-01') = '2024' && strftime('%m', 1700000000, 'unixepoch') = '11'", ALL_POSTS],
];

void describe('filter: operators, literals and empty/null semantics', () => {
  for (const [expr, expected, opts, req] of cases) {
    void it(expr, () => {
      assert.deepEqual(run.ids(expr, opts, req), expected);
    });
  }
});
