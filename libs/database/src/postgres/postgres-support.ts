/**
 * SQL functions the PostgreSQL dialect's compiled expressions call: SQLite's value rules (PocketBase's
 * database) over `jsonb` values that carry a number or a text — its comparison order and affinities, its
 * ASCII-only case-insensitive LIKE, its text form of JSON and dates. Idempotent (`CREATE OR REPLACE`): run
 * once per database before compiled filters run (libs/database at start-up; the tests after creating it).
 */
export const POSTGRES_SUPPORT_SQL = String.raw`
CREATE OR REPLACE FUNCTION nb_json_compact(j jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      RETURN (SELECT '{' || COALESCE(string_agg(to_jsonb(k)::text || ':' || nb_json_compact(v), ',' ORDER BY o), '') || '}'
              FROM jsonb_each(j) WITH ORDINALITY AS t(k, v, o));
    WHEN 'array' THEN
      RETURN (SELECT '[' || COALESCE(string_agg(nb_json_compact(v), ',' ORDER BY o), '') || ']'
              FROM jsonb_array_elements(j) WITH ORDINALITY AS t(v, o));
    ELSE RETURN j::text;
  END CASE;
END $f$;

CREATE OR REPLACE FUNCTION nb_jv(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE jsonb_typeof(j)
    WHEN 'boolean' THEN to_jsonb(CASE WHEN j = 'true'::jsonb THEN 1 ELSE 0 END)
    WHEN 'object' THEN to_jsonb(nb_json_compact(j))
    WHEN 'array' THEN to_jsonb(nb_json_compact(j))
    WHEN 'null' THEN NULL
    ELSE j END $f$;

CREATE OR REPLACE FUNCTION nb_str(d jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE jsonb_typeof(d) WHEN 'string' THEN d #>> '{}' WHEN 'null' THEN NULL ELSE nb_json_compact(d) END $f$;

CREATE OR REPLACE FUNCTION nb_num(d jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN jsonb_typeof(d) = 'string'
      AND (d #>> '{}') ~ '^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?\s*$'
    THEN to_jsonb((d #>> '{}')::numeric) ELSE d END $f$;

CREATE OR REPLACE FUNCTION nb_txt(d jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN jsonb_typeof(d) = 'number' THEN to_jsonb(d::text) ELSE d END $f$;

CREATE OR REPLACE FUNCTION nb_cmp(a jsonb, b jsonb) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE
    WHEN a IS NULL OR b IS NULL THEN NULL
    WHEN jsonb_typeof(a) = 'number' AND jsonb_typeof(b) = 'number' THEN sign(a::numeric - b::numeric)::int
    WHEN jsonb_typeof(a) = 'number' THEN -1
    WHEN jsonb_typeof(b) = 'number' THEN 1
    WHEN nb_str(a) COLLATE "C" < nb_str(b) COLLATE "C" THEN -1
    WHEN nb_str(a) = nb_str(b) THEN 0
    ELSE 1 END $f$;

CREATE OR REPLACE FUNCTION nb_is(a jsonb, b jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL ELSE nb_cmp(a, b) = 0 END $f$;

CREATE OR REPLACE FUNCTION nb_like(l text, p text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE
    WHEN l IS NULL OR p IS NULL OR octet_length(p) > 50000 THEN NULL
    WHEN (length(p) - length(rtrim(p, '\'))) % 2 = 1 THEN FALSE
    ELSE translate(l, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
      LIKE translate(p, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') ESCAPE '\' END $f$;

CREATE OR REPLACE FUNCTION nb_arr(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN j IS NULL OR j = '""'::jsonb THEN '[]'::jsonb
    WHEN jsonb_typeof(j) = 'array' THEN j
    ELSE jsonb_build_array(nb_json_compact(j)) END $f$;

CREATE OR REPLACE FUNCTION nb_real(d jsonb) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN jsonb_typeof(nb_num(d)) = 'number'
    THEN LEAST(GREATEST(nb_num(d)::numeric, -1e300), 1e300)::float8 END $f$;

CREATE OR REPLACE FUNCTION nb_geo(lon1 float8, lat1 float8, lon2 float8, lat2 float8) RETURNS float8
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT 6371 * acos(LEAST(1, GREATEST(-1, cos(radians(lat1)) * cos(radians(lat2)) * cos(radians(lon2) - radians(lon1))
    + sin(radians(lat1)) * sin(radians(lat2))))) $f$;

CREATE OR REPLACE FUNCTION nb_time(d jsonb) RETURNS timestamp LANGUAGE plpgsql STABLE PARALLEL SAFE AS $f$
DECLARE
  s text;
  m text[];
  t timestamp;
BEGIN
  IF d IS NULL THEN RETURN NULL; END IF;
  IF jsonb_typeof(d) = 'number' THEN
    RETURN timestamp '1970-01-01' + ((d::numeric - 2440587.5) * 86400) * interval '1 second';
  END IF;
  s := nb_str(d);
  IF lower(trim(s)) = 'now' THEN RETURN statement_timestamp() AT TIME ZONE 'UTC'; END IF;
  m := regexp_match(s, '^\s*(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d(?:\.\d*)?))?)?\s*(?:([zZ])|([+-])(\d\d):(\d\d))?\s*$');
  IF m IS NULL OR m[2]::int NOT BETWEEN 1 AND 12 OR m[3]::int NOT BETWEEN 1 AND 31
    OR COALESCE(m[4]::int, 0) > 24 OR COALESCE(m[5]::int, 0) > 59 OR COALESCE(m[6]::numeric, 0) >= 60 THEN
    RETURN NULL;
  END IF;
  t := make_date(m[1]::int, m[2]::int, 1) + (m[3]::int - 1)
    + make_interval(hours => COALESCE(m[4]::int, 0), mins => COALESCE(m[5]::int, 0), secs => COALESCE(m[6]::numeric, 0));
  IF m[8] IS NOT NULL THEN
    t := t - (CASE WHEN m[8] = '-' THEN -1 ELSE 1 END) * make_interval(hours => m[9]::int, mins => m[10]::int);
  END IF;
  RETURN t;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $f$;
`;

/**
 * The auth-write counter: one row, bumped by a statement trigger on every auth collection's table (any INSERT,
 * UPDATE, DELETE or TRUNCATE, whoever runs it) in the writing transaction, so its new value commits with the rows.
 * StoreSync reads it with the schema stamp on every request: a password, tokenKey or record change made through
 * any process moves the verified-token cache's mark at its commit. `nb_watch_auth_tables()` gives every auth
 * collection's table the trigger it lacks (run at start-up and at the end of each schema transaction; a renamed
 * table keeps its trigger, a dropped one loses it). Idempotent, as the rest.
 */
export const AUTH_WRITES_TABLE = '_authWrites';
export const POSTGRES_AUTH_WRITES_SQL = String.raw`
CREATE TABLE IF NOT EXISTS "_authWrites" ("id" INT PRIMARY KEY, "n" BIGINT NOT NULL);
INSERT INTO "_authWrites" ("id", "n") VALUES (1, 0) ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION nb_auth_written() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  UPDATE "_authWrites" SET "n" = "n" + 1 WHERE "id" = 1;
  RETURN NULL;
END $f$;

CREATE OR REPLACE FUNCTION nb_watch_auth_tables() RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT to_regclass(quote_ident(c."name")) FROM "_collections" c WHERE c."type" = 'auth' LOOP
    IF t IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t AND g.tgname = 'nb_auth_written') THEN
      EXECUTE format('CREATE TRIGGER nb_auth_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION nb_auth_written()', t);
    END IF;
  END LOOP;
END $f$;
`;

/**
 * The schema-write counter: one row, bumped by a statement trigger on `_collections` (any INSERT, UPDATE, DELETE or
 * TRUNCATE, whoever runs it) in the writing transaction. It is PostgreSQL's collections stamp (`readSchemaStamp`):
 * every request reads it, where counting and scanning `_collections` cost ~0.5 ms of the server's CPU at a thousand
 * collections. It starts at the clock's milliseconds, so a counter made again (its table dropped) never repeats a
 * value a running process has seen. Idempotent, as the rest.
 */
export const SCHEMA_WRITES_TABLE = '_schemaWrites';
export const POSTGRES_SCHEMA_WRITES_SQL = String.raw`
CREATE TABLE IF NOT EXISTS "_schemaWrites" ("id" INT PRIMARY KEY, "n" BIGINT NOT NULL);
INSERT INTO "_schemaWrites" ("id", "n") VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
  ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION nb_schema_written() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  UPDATE "_schemaWrites" SET "n" = "n" + 1 WHERE "id" = 1;
  RETURN NULL;
END $f$;

DO $d$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = '"_collections"'::regclass AND g.tgname = 'nb_schema_written') THEN
    CREATE TRIGGER nb_schema_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "_collections"
      FOR EACH STATEMENT EXECUTE FUNCTION nb_schema_written();
  END IF;
END $d$;
`;

/** Rewrites the compiler's `?` placeholders as PostgreSQL's `$1, $2, …`, leaving quoted text and names alone. */
export function toPostgresPlaceholders(sqlText: string, first = 1): string {
  let n = first;
  let out = '';
  let quote: string | null = null;
  for (const ch of sqlText) {
    if (quote) {
      quote = ch === quote ? null : quote;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${n++}`;
    } else {
      out += ch;
    }
  }
  return out;
}
