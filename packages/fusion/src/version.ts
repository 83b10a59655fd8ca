import pkg from '../package.json' with { type: 'json' };

/** Package version, kept in step with package.json by the release tooling. */
export const version: string = pkg.version;
