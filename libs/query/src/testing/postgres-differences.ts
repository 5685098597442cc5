/**
 * What the PostgreSQL dialect refuses with a 400 although SQLite runs it (the semantics can't be the same):
 * the messages of those refusals. The PostgreSQL specs accept exactly these where SQLite gave rows.
 */
export const POSTGRES_ONLY_REFUSALS: RegExp[] = [
  /strftime\(\) modifiers are supported only on SQLite/,
  /strftime\(\) %[JUW] is supported only on SQLite/,
  /PostgreSQL text values cannot contain NUL characters/,
];
