import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from './commands/index';

const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it.each(Object.keys(commands))('documents `eou %s` and every one of its flags', async (name) => {
    expect(readme).toContain(`eou ${name}`);
    const command = await commands[name]!.load();
    for (const flag of Object.keys(command.options))
      expect(readme, `--${flag} of eou ${name}`).toContain(`--${flag}`);
  });
});
