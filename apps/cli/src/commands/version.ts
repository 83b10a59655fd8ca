import { defineCommand } from '../command';
import { packageVersions } from '../versions';

export default defineCommand({
  name: 'version',
  description: 'Print the versions of the CLI and of the @eou packages it was built with.',
  options: { json: { type: 'boolean', description: 'Print one JSON document on stdout.' } },
  async run(ctx) {
    const versions = packageVersions();
    if (ctx.options.json) ctx.stdout.write(JSON.stringify(versions) + '\n');
    else for (const [name, version] of Object.entries(versions)) ctx.stdout.write(`${name} ${version}\n`);
    return 0;
  },
});
