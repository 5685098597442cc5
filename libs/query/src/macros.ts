import { formatDate } from '@lib/core';
import type { Binder } from './sql-fragment';

const DAY = 86_400_000;

function utc(y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0): string {
  return formatDate(new Date(Date.UTC(y, m, d, h, min, s, ms)));
}

/** The datetime/number macros of §6.3, evaluated when the expression is bound (UTC). */
const MACROS: Record<string, (now: Date) => string | number> = {
  '@now': (now) => formatDate(now),
  '@yesterday': (now) => formatDate(new Date(now.getTime() - DAY)),
  '@tomorrow': (now) => formatDate(new Date(now.getTime() + DAY)),
  '@todayStart': (n) => utc(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()),
  '@todayEnd': (n) => utc(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate(), 23, 59, 59, 999),
  '@monthStart': (n) => utc(n.getUTCFullYear(), n.getUTCMonth(), 1),
  '@monthEnd': (n) => utc(n.getUTCFullYear(), n.getUTCMonth() + 1, 0, 23, 59, 59, 999),
  '@yearStart': (n) => utc(n.getUTCFullYear(), 0, 1),
  '@yearEnd': (n) => utc(n.getUTCFullYear(), 11, 31, 23, 59, 59, 999),
  '@second': (n) => n.getUTCSeconds(),
  '@minute': (n) => n.getUTCMinutes(),
  '@hour': (n) => n.getUTCHours(),
  '@day': (n) => n.getUTCDate(),
  '@month': (n) => n.getUTCMonth() + 1,
  '@weekday': (n) => n.getUTCDay(),
  '@year': (n) => n.getUTCFullYear(),
};

/** The binder of a macro, or undefined when `name` is none. */
export function macroBinder(name: string): Binder | undefined {
  const macro = Object.prototype.hasOwnProperty.call(MACROS, name) ? MACROS[name] : undefined;
  return macro ? (ctx) => macro(ctx.now) : undefined;
}
