import { describe, expect, it } from 'vitest';
import { completionAt, searchFields, searchFilter } from './filter-completions';
import { ruleSuggestions, type SchemaCollection } from './rule-completions';

const users: SchemaCollection = {
  id: '_pb_users_auth_',
  name: 'users',
  type: 'auth',
  fields: [
    { name: 'id', type: 'text' },
    { name: 'email', type: 'email' },
    { name: 'team', type: 'relation', collectionId: 'teams1' },
  ],
};
const teams: SchemaCollection = {
  id: 'teams1',
  name: 'teams',
  type: 'base',
  fields: [{ name: 'title', type: 'text' }],
};
const todos: SchemaCollection = {
  id: 'todos1',
  name: 'todos',
  type: 'base',
  fields: [
    { name: 'id', type: 'text' },
    { name: 'title', type: 'text' },
    { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_' },
  ],
};
const all = [users, teams, todos];
const filterSuggest = (word: string) => ruleSuggestions(word, todos, all, { filter: true });
const ruleSuggest = (word: string) => ruleSuggestions(word, todos, all);
const labels = (before: string, explicit = false, suggest = filterSuggest) =>
  completionAt(before, suggest, explicit)?.suggestions.map((s) => s.label) ?? null;

describe('filter bar completion', () => {
  it('completes names with relation paths one level deep (rules go two)', () => {
    expect(labels('ow')).toEqual(['owner', 'owner.id', 'owner.email', 'owner.team']);
    expect(labels('ow', false, ruleSuggest)).toContain('owner.team.title');
    expect(labels('title = "x" && ow')).toContain('owner.email');
  });

  it('leaves the request body and :changed to rules', () => {
    expect(labels('@request.')).not.toContain('@request.body.');
    expect(labels('@request.', false, ruleSuggest)).toContain('@request.body.');
    expect(labels('title:')).toEqual(['title:isset', 'title:length', 'title:each', 'title:lower']);
    expect(labels('@now')).toEqual([]);
    expect(labels('created > @today')).toEqual(['@todayStart', '@todayEnd']);
  });

  it('offers operators after an operand once an operator character is typed', () => {
    const at = completionAt('title !', filterSuggest);
    expect(at).toMatchObject({ word: '!', kind: 'operator' });
    expect(at?.suggestions.map((s) => s.label)).toEqual(['!=', '!~']);
    expect(labels('title ?')).toEqual(['?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~']);
    expect(labels('title >')).toEqual(['>=']);
    expect(labels('title =')).toEqual([]);
  });

  it('offers && and || after a whole comparison or a group, comparisons after a function call', () => {
    expect(labels('title = "a" &')).toEqual(['&&']);
    expect(labels('(title = "a") |')).toEqual(['||']);
    expect(labels('geoDistance(1, 2, 3, 4) <')).toEqual(['<=']);
  });

  it('lists operators or names on request (Ctrl+Space), nothing unasked after a space', () => {
    expect(labels('title ', true)).toContain('!~');
    expect(labels('title = 1 ', true)).toEqual(['&&', '||']);
    expect(labels('title = ', true)).toContain('owner.email');
    expect(labels('title ')).toBeNull();
    expect(labels('')).toBeNull();
  });

  it('offers nothing inside a quoted string', () => {
    expect(labels('title = "ow')).toBeNull();
    expect(labels("title = 'a \\' ow")).toBeNull();
    expect(labels('title = "a \\" b" && ow')).toContain('owner');
  });
});

describe('plain search terms', () => {
  it('search the text-like fields with ~, expressions pass unchanged', () => {
    const fields = searchFields([
      { name: 'id', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'done', type: 'bool' },
      { name: 'email', type: 'email' },
    ]);
    expect(fields).toEqual(['id', 'title', 'email']);
    expect(searchFilter(' milk ', fields)).toBe('id ~ "milk" || title ~ "milk" || email ~ "milk"');
    expect(searchFilter('"oat milk"', ['title'])).toBe('title ~ "oat milk"');
    expect(searchFilter('say "hi"', ['title'])).toBe('title ~ "say \\"hi\\""');
    expect(searchFilter('title ~ "milk"', fields)).toBe('title ~ "milk"');
    expect(searchFilter('a = 1 || b', fields)).toBe('a = 1 || b');
    expect(searchFilter('', fields)).toBe('');
  });
});
