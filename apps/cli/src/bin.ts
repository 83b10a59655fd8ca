#!/usr/bin/env node
import { runMain } from './main';

runMain(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: Boolean(process.stderr.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An unexpected failure is a bug, not bad input: show the stack and exit 3 so it is never
    // mistaken for a gate verdict.
    process.stderr.write(
      `eou: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 3;
  },
);
