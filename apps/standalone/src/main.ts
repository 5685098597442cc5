import './heap-flags';
import 'reflect-metadata';
import { run } from './cli';

run(process.argv.slice(2));
