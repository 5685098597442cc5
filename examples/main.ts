// The tutorial's Go example in TypeScript: nestbase as a library, with the owner hook.
// Build and run: see the README, "Hooks" → "As a library: main.ts". Listens on NB_HTTP (default 127.0.0.1:8090).
import { NestBase } from 'nestbase';

const app = new NestBase({ dir: './pb_data' });

// A todo created by an authenticated user belongs to that user, whatever the client sent as `owner`.
app.onRecordBeforeCreate('todos', (e) => {
  if (e.auth && !e.auth.isSuperuser()) {
    e.record.set('owner', e.auth.id);
  }
});

app.start().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
