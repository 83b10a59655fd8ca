import { projectTsupConfig } from '../../tsup.shared.ts';

// The `@eou/*` packages stay external (the gate finds its decode worker next to its own build).
export default projectTsupConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  splitting: true,
});
