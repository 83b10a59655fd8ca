/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';
