#!/usr/bin/env node
// `eou-bench compare current.json baseline.json`: see compareCli.
import { compareCli } from './compareCli';

process.exitCode = compareCli(process.argv.slice(2), process.stdout, process.stderr);
