// Reading docker/Dockerfile with dockerfile-ast (stages, exec-form arguments, .dockerignore rules) and
// assembling its runtime stage's files in a temp dir: what the image's /app holds, from this checkout.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  DockerfileParser,
  Env,
  Healthcheck,
  Instruction,
  JSONInstruction,
  ModifiableInstruction,
} from 'dockerfile-ast';

import { ROOT, readText } from './deploy-files';

export interface Stage {
  name: string;
  /** The FROM image with the global ARGs' defaults substituted. */
  image: string;
  instructions: Instruction[];
}

export function parseStages(text: string): Stage[] {
  const dockerfile = DockerfileParser.parse(text);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) {
      args.set(property.getName(), property.getValue() ?? '');
    }
  }
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line);
      const image = (from?.getImage() ?? '').replace(/\$\{?(\w+)\}?/g, (_m, name: string) => args.get(name) ?? '');
      stages.push({ name: from?.getBuildStage() ?? String(stages.length), image, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** An instruction's arguments, flags left out. */
export function words(instruction: Instruction): string[] {
  return instruction.getArguments().map((a) => a.getValue());
}

/** An instruction's flags (`--from=build` -> { from: 'build' }). */
export function flags(instruction: Instruction): Record<string, string> {
  const list = instruction instanceof ModifiableInstruction ? instruction.getFlags() : [];
  return Object.fromEntries(list.map((f) => [f.getName(), f.getValue() ?? '']));
}

/** The exec-form (JSON array) arguments of CMD, ENTRYPOINT, VOLUME…; [] for the shell form. */
export function jsonArgs(instruction: Instruction): string[] {
  return instruction instanceof JSONInstruction ? instruction.getJSONStrings().map((s) => s.getJSONValue()) : [];
}

/** HEALTHCHECK's exec-form command (`HEALTHCHECK [flags] CMD ["node", …]`). */
export function exec(healthcheck: Instruction): string[] {
  if (!(healthcheck instanceof Healthcheck)) {
    throw new Error('not a HEALTHCHECK');
  }
  const content = healthcheck.getArgumentsContent() ?? '';
  const match = /(?:^|\s)CMD\s+(\[.*\])\s*$/s.exec(content);
  if (!match) {
    throw new Error(`HEALTHCHECK is not in exec form: ${content}`);
  }
  return JSON.parse(match[1]) as string[];
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether .dockerignore keeps `path` (relative to the context) out: the last rule matching the path or one
 * of its parent directories wins; `!` rules let paths back in (Docker's semantics for these patterns).
 */
export function dockerignoreExcludes(ignore: string, path: string): boolean {
  const rules = ignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { negated, re: globToRegExp(pattern) };
    });
  const parts = path.replace(/^\.?\/+|\/+$/g, '').split('/');
  const prefixes = parts.map((_p, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) {
    if (prefixes.some((prefix) => rule.re.test(prefix))) {
      excluded = !rule.negated;
    }
  }
  return excluded;
}

export interface RuntimeLayout {
  /** The image's /app (its WORKDIR); /pb_data, /pb_public, /pb_hooks are <dir>/pb_data … */
  dir: string;
  env: Record<string, string>;
  /** ENTRYPOINT + CMD after `node`. */
  command: string[];
}

/** Copies `from` to `to`, leaving out compiled files whose TypeScript source .dockerignore keeps out. */
function copyBuilt(from: string, to: string, ignore: string): void {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) {
      copyBuilt(source, join(to, entry), ignore);
      continue;
    }
    const tsSource = relative(join(ROOT, 'dist'), source).replace(/\.js(\.map)?$/, '.ts');
    if (!dockerignoreExcludes(ignore, tsSource)) {
      mkdirSync(to, { recursive: true });
      cpSync(source, join(to, entry));
    }
  }
}

/**
 * The runtime stage's COPYs, from this checkout: context files as they are, `--from=<build>` /app/dist/…
 * from dist/ (npm run build's output, less what .dockerignore keeps out of the build), and `--from=<deps>`
 * node_modules as a link to ./node_modules.
 */
export function assembleRuntime(stages: Stage[]): RuntimeLayout {
  const runtime = stages[stages.length - 1];
  const ignore = readText('.dockerignore');
  const dir = mkdtempSync(join(tmpdir(), 'nestbase-image-'));
  const env: Record<string, string> = {};
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  for (const instruction of runtime.instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'COPY') {
      const from = flags(instruction).from;
      const args = words(instruction);
      const target = join(dir, args[args.length - 1]);
      for (const source of args.slice(0, -1)) {
        const into = args.length > 2 ? join(target, source.split('/').pop() ?? '') : target;
        mkdirSync(dirname(into), { recursive: true });
        if (from === undefined) {
          cpSync(join(ROOT, source), into, { recursive: true });
        } else if (source.endsWith('/node_modules')) {
          symlinkSync(join(ROOT, 'node_modules'), into, 'dir');
        } else if (source.startsWith('/app/dist/')) {
          copyBuilt(join(ROOT, source.slice('/app/'.length)), into, ignore);
        } else {
          throw new Error(`COPY --from=${from} ${source}: no local equivalent`);
        }
      }
    } else if (instruction instanceof Env) {
      for (const property of instruction.getProperties()) {
        env[property.getName()] = property.getValue() ?? '';
      }
    } else if (keyword === 'ENTRYPOINT') {
      entrypoint = jsonArgs(instruction);
    } else if (keyword === 'CMD') {
      cmd = jsonArgs(instruction);
    }
  }
  if (entrypoint[0] !== 'node') {
    throw new Error(`ENTRYPOINT does not start node: ${entrypoint.join(' ')}`);
  }
  for (const volume of ['pb_data', 'pb_public', 'pb_hooks']) {
    mkdirSync(join(dir, volume));
  }
  return { dir, env, command: [...entrypoint.slice(1), ...cmd] };
}

/** Maps the image's absolute /pb_* paths into the layout dir. */
export function inLayout(layout: RuntimeLayout, value: string): string {
  return /^\/pb_[a-z]+/.test(value) ? join(layout.dir, value.slice(1)) : value;
}

/** Runs the HEALTHCHECK command (`node docker/healthcheck.js [url]`) in the layout; resolves with its exit code. */
export function runHealthcheck(layout: RuntimeLayout, command: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command.slice(1), {
      cwd: layout.dir,
      env: { PATH: process.env.PATH, ...env },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}
