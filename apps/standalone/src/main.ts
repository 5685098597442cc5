import './heap-flags';
import './lazy-date-format';
import './typeorm-drivers';
import 'reflect-metadata';
import { run } from './cli';

run(process.argv.slice(2));
