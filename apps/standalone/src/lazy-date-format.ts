/**
 * Imported by main.ts before anything loads Nest: @nestjs/common's ConsoleLogger builds an `Intl.DateTimeFormat`
 * when its module loads, only to stamp printed log lines, and that costs ~8 MB of ICU locale data (issue 16). While
 * @nestjs/common loads, `Intl.DateTimeFormat` makes formatters that build the real one at first use, so a server
 * that prints nothing (the default level prints warnings only) never pays for it; the log lines look the same.
 * The global is restored right after.
 */
const RealDateTimeFormat = Intl.DateTimeFormat;

function lazyDateTimeFormat(...args: ConstructorParameters<typeof Intl.DateTimeFormat>): Intl.DateTimeFormat {
  let real: Intl.DateTimeFormat | undefined;
  const target = (): Intl.DateTimeFormat => (real ??= new RealDateTimeFormat(...args));
  return new Proxy({} as Intl.DateTimeFormat, {
    get(_, key) {
      const value: unknown = Reflect.get(target(), key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target()) : value;
    },
  });
}

(Intl as { DateTimeFormat: unknown }).DateTimeFormat = lazyDateTimeFormat;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@nestjs/common');
} finally {
  (Intl as { DateTimeFormat: unknown }).DateTimeFormat = RealDateTimeFormat;
}
