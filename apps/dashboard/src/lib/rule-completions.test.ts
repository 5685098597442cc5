import { describe, expect, it } from 'vitest';
import { currentWord, matching, ruleSuggestions, type SchemaCollection } from './rule-completions';

const users: SchemaCollection = {
  id: '_pb_users_auth_',
  name: 'users',
  type: 'auth',
  fields: [
    { name: 'id', type: 'text' },
    { name: 'email', type: 'email' },
    { name: 'password', type: 'password' },
    { name: 'tokenKey', type: 'text' },
    { name: 'name', type: 'text' },
  ],
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
const all = [users, todos];
const labels = (word: string) => matching(word, ruleSuggestions(word, todos, all)).map((s) => s.label);

describe('rule autocomplete', () => {
  it('takes the word before the cursor', () => {
    expect(currentWord('owner = @request.au')).toBe('@request.au');
    expect(currentWord('title != "" && ow')).toBe('ow');
    expect(currentWord('title:le')).toBe('title:le');
  });

  it('suggests fields and relation paths, never password fields', () => {
    expect(labels('ow')).toEqual(['owner', 'owner.id', 'owner.email', 'owner.tokenKey', 'owner.name']);
    expect(labels('owner.p')).toEqual([]);
  });

  it('suggests @request keys and the auth record fields', () => {
    expect(labels('@request.a')).toEqual(['@request.auth.']);
    expect(labels('@request.auth.')).toContain('@request.auth.id');
    expect(labels('@request.auth.')).toContain('@request.auth.name');
    expect(labels('@request.auth.')).not.toContain('@request.auth.password');
    expect(labels('@request.auth.')).not.toContain('@request.auth.tokenKey');
    expect(labels('@request.body.t')).toEqual(['@request.body.title']);
  });

  it('suggests @collection names, then their fields', () => {
    expect(labels('@collection.u')).toEqual(['@collection.users.']);
    expect(labels('@collection.users.e')).toEqual(['@collection.users.email']);
  });

  it('suggests macros and modifiers', () => {
    expect(labels('@tod')).toEqual(['@todayStart', '@todayEnd']);
    expect(labels('title:')).toEqual(['title:isset', 'title:changed', 'title:length', 'title:each', 'title:lower']);
    expect(labels('@request.body.title:is')).toEqual(['@request.body.title:isset']);
  });
});
