import { execFileSync } from 'node:child_process';

interface SendConfig {
  url: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Seconds (default 120). */
  timeout?: number;
}

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
  error?: string;
}

// The blocking variant: a child Node process makes the request, so the hook gets its answer synchronously (and this
// process waits meanwhile).
const SEND = `let s='';process.stdin.on('data',d=>s+=d).on('end',async()=>{const c=JSON.parse(s);
try{const r=await fetch(c.url,{method:c.method,headers:c.headers,body:c.body,redirect:'follow',
signal:AbortSignal.timeout(c.timeout*1000)});const b=Buffer.from(await r.arrayBuffer());
process.stdout.write(JSON.stringify({status:r.status,headers:[...r.headers],body:b.toString('base64')}))}
catch(e){process.stdout.write(JSON.stringify({error:String(e&&e.message||e)}))}})`;

function request(config: SendConfig) {
  const method = (config.method ?? 'GET').toUpperCase();
  const timeout = config.timeout ?? 120;
  const body = method === 'GET' || method === 'HEAD' || !config.body ? undefined : config.body;
  return { url: config.url, method, headers: config.headers ?? {}, body, timeout };
}

/** PocketBase's response shape: `statusCode`, `headers` (name → values), `body` (bytes), `raw`, `json`. */
function response(answer: Answer) {
  if (answer.error) {
    throw new Error(`$http.send: ${answer.error}`);
  }
  const body = Buffer.from(answer.body, 'base64');
  const raw = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const headers: Record<string, string[]> = {};
  for (const [name, value] of answer.headers) {
    const key = name.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
    (headers[key] ??= []).push(value);
  }
  return { statusCode: answer.status, headers, cookies: {}, body: [...body], raw, json };
}

/**
 * PocketBase's `$http.send({url, method, body, headers, timeout})`. `awaited`: the file's calls are awaited (see
 * jsvm-transform), so the request runs without blocking the process; otherwise it blocks until the answer is there.
 */
export function jsvmHttp(awaited: boolean) {
  if (awaited) {
    return {
      send: async (config: SendConfig) => {
        const r = request(config);
        try {
          const res = await fetch(r.url, {
            method: r.method,
            headers: r.headers,
            body: r.body,
            redirect: 'follow',
            signal: AbortSignal.timeout(r.timeout * 1000),
          });
          const body = Buffer.from(await res.arrayBuffer()).toString('base64');
          return response({ status: res.status, headers: [...res.headers], body });
        } catch (error) {
          return response({ status: 0, headers: [], body: '', error: String((error as Error).message ?? error) });
        }
      },
    };
  }
  return {
    send: (config: SendConfig) => {
      const r = request(config);
      const out = execFileSync(process.execPath, ['-e', SEND], {
        input: JSON.stringify(r),
        timeout: r.timeout * 1000 + 5000,
        maxBuffer: 256 * 1024 * 1024,
      }).toString('utf8');
      return response(JSON.parse(out) as Answer);
    },
  };
}
