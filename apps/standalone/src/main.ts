import { run } from './cli';

run(process.argv.slice(2));
