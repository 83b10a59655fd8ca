/**
 * Variants declared by file, so a user can gate any set of decoder/joiner files they have (an
 * int8 decoder with the fp32 joiner, a fine-tuned joint): the declaration names the step kind and
 * each role's file in the model directory; everything else follows from the kind.
 */
import { describe } from './describeValue';
import type { ModelExt, ModelLayout } from './modelConfig';
import { predictionPolicies, type PredictionPolicy } from './policies';
import { RnntDecodeError } from './rnntDecodeError';
import { stepKinds, type StepKind } from './stepModels';
import { layoutOfKind, variantRoles, type VariantFileRole, type VariantSpec } from './variants';

/** What a user declares. */
export interface VariantDeclaration {
  /** Letters, digits, `.`, `_`, `-`; not a built-in name of the kind's layout. */
  readonly name: string;
  readonly kind: StepKind;
  /** The file of each role the kind loads (`decoder` and `joint` for split and stateless), in the model directory. */
  readonly files: Readonly<Partial<Record<VariantFileRole, string>>>;
  /** Default `cache` for the stateless kind (sherpa-onnx's loop), else `recompute` (as `ref`). */
  readonly predictionPolicy?: PredictionPolicy;
  readonly description?: string;
}

/** The only `format` a declarations file may have. */
export const variantDeclarationsFormat = 'eou-variants/1';

const exts: readonly ModelExt[] = ['onnx', 'mlmodelc', 'mlpackage'];
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const knownFields = new Set(['name', 'kind', 'files', 'predictionPolicy', 'description']);

/** Reports a bad field; `type` marks a wrong type (TypeError) rather than a bad value (RangeError). */
type Fail = (field: string, message: string, type?: boolean) => never;

function declare(input: unknown, fail: Fail): VariantSpec<string> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('', `must be an object, got ${describe(input)}`, true);
  const d = input as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!knownFields.has(key))
      fail(key, `is not a variant field (known: ${[...knownFields].join(', ')})`, true);
  }
  const name = d['name'];
  if (typeof name !== 'string' || !namePattern.test(name))
    fail(
      'name',
      `must be letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${describe(name)}`,
    );
  const kind = d['kind'];
  if (!stepKinds.includes(kind as StepKind))
    fail('kind', `must be one of ${stepKinds.join(', ')}, got ${describe(kind)}`, true);
  const roles = variantRoles[kind as StepKind];
  const files = d['files'];
  if (typeof files !== 'object' || files === null || Array.isArray(files))
    fail(
      'files',
      `must be an object of file names by role (${roles.join(', ')}), got ${describe(files)}`,
      true,
    );
  const given = files as Record<string, unknown>;
  for (const role of Object.keys(given)) {
    if (!(roles as readonly string[]).includes(role))
      fail(`files.${role}`, `is not a role of a ${String(kind)} variant (roles: ${roles.join(', ')})`, true);
  }
  const stems: Partial<Record<VariantFileRole, string>> = {};
  let format: ModelExt | undefined;
  for (const role of roles) {
    const file = given[role];
    const field = `files.${role}`;
    if (file === undefined) fail(field, `is missing (a ${String(kind)} variant loads ${roles.join(', ')})`);
    if (typeof file !== 'string' || file === '' || /[\\/]/.test(file) || file.startsWith('.'))
      fail(field, `must be a file name in the model directory (no directories), got ${describe(file)}`);
    const f = file;
    const ext = exts.find((e) => f.endsWith(`.${e}`) && f.length > e.length + 1);
    if (ext === undefined) fail(field, `must end in .onnx, .mlmodelc or .mlpackage, got ${describe(f)}`);
    if (format !== undefined && ext !== format)
      fail(field, `must be a .${format} file like the variant's other files, got ${describe(f)}`);
    format = ext;
    stems[role] = f.slice(0, f.length - ext.length - 1);
  }
  const predictionPolicy = d['predictionPolicy'] ?? (kind === 'stateless' ? 'cache' : 'recompute');
  if (!predictionPolicies.includes(predictionPolicy as PredictionPolicy))
    fail(
      'predictionPolicy',
      `must be one of ${predictionPolicies.join(', ')}, got ${describe(predictionPolicy)}`,
    );
  const description =
    d['description'] ?? `declared: ${roles.map((r) => `${stems[r]}.${format}`).join(' + ')}`;
  if (typeof description !== 'string')
    fail('description', `must be a string, got ${describe(description)}`, true);
  return Object.freeze({
    name: name,
    layout: layoutOfKind(kind as StepKind),
    kind: kind as StepKind,
    stems: Object.freeze(stems),
    formats: Object.freeze([format!]),
    buildFormats: Object.freeze([]),
    builtRoles: Object.freeze([]),
    buildable: false,
    predictionPolicy: predictionPolicy as PredictionPolicy,
    numerics: 'declared',
    description: description,
  });
}

/**
 * Makes a variant from a declaration: its layout follows from the kind, its stems and format from
 * the file names; it runs the files as they are (nothing is built).
 * @throws TypeError/RangeError naming the field (`declaration.files.joint must end in .onnx, ...`)
 */
export function declareVariant(declaration: VariantDeclaration): VariantSpec<string> {
  return declare(declaration, (field, message, type) => {
    const path = field === '' ? 'declaration' : `declaration.${field}`;
    throw new (type === true ? TypeError : RangeError)(`${path} ${message}`);
  });
}

/**
 * Parses a declarations file: `{"format": "eou-variants/1", "variants": [declaration, ...]}`.
 * @param json the file's text
 * @param file its name, for messages
 * @throws RnntDecodeError `E_VARIANT` naming the file and field, e.g.
 *   "variants.json: `variants[1].files.joint` must end in .onnx, .mlmodelc or .mlpackage, got \"joiner\""
 */
export function parseVariantDeclarations(json: string, file: string): VariantSpec<string>[] {
  const fail = (field: string, message: string): never => {
    throw new RnntDecodeError('E_VARIANT', `${file}: ${field === '' ? '' : `\`${field}\` `}${message}`, {
      file,
      ...(field === '' ? {} : { field }),
    });
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return fail('', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('', `expected a JSON object, got ${describe(value)}`);
  const obj = value as Record<string, unknown>;
  if (obj['format'] !== variantDeclarationsFormat)
    fail('format', `must be "${variantDeclarationsFormat}", got ${describe(obj['format'])}`);
  for (const key of Object.keys(obj)) {
    if (key !== 'format' && key !== 'variants')
      fail(key, 'is not a field of a declarations file (known: format, variants)');
  }
  return parseVariantList(obj['variants'], file, 'variants');
}

/**
 * Parses a list of variant declarations held in a JSON document (a declarations file's or
 * model.json's `variants`).
 * @param field the list's field, for messages
 * @throws RnntDecodeError `E_VARIANT` naming the file and field
 */
export function parseVariantList(list: unknown, file: string, field = 'variants'): VariantSpec<string>[] {
  const fail = (at: string, message: string): never => {
    throw new RnntDecodeError('E_VARIANT', `${file}: \`${at}\` ${message}`, { file, field: at });
  };
  if (!Array.isArray(list)) fail(field, `must be an array of variant declarations, got ${describe(list)}`);
  const specs = (list as unknown[]).map((d, i) =>
    declare(d, (f, message) => fail(f === '' ? `${field}[${i}]` : `${field}[${i}].${f}`, message)),
  );
  specs.forEach((s, i) => {
    if (specs.findIndex((o) => o.name === s.name) !== i)
      fail(`${field}[${i}].name`, `repeats ${JSON.stringify(s.name)}`);
  });
  return specs;
}

/**
 * Parses the short form a command line takes, `name=decoder.int8.onnx,joiner.onnx`: the files in
 * the role order of the kind (`variantRoles`). In the sherpa-onnx layout the kind is `stateless`
 * (decoder, joiner); in the eou layout the file count picks it: 1 fused, 2 split, 3 projected.
 * @throws RangeError naming the argument and what is wrong
 */
export function parseVariantArgument(text: string, layout: ModelLayout): VariantSpec<string> {
  const eq = typeof text === 'string' ? text.indexOf('=') : -1;
  if (eq <= 0)
    throw new RangeError(
      `variant declaration must be name=file[,file...], got ${describe(text)} (e.g. int8-dec=decoder.int8.onnx,joiner.onnx)`,
    );
  const name = text.slice(0, eq);
  const files = text
    .slice(eq + 1)
    .split(',')
    .map((f) => f.trim());
  const byCount: Record<number, StepKind> = { 1: 'fused', 2: 'split', 3: 'projected' };
  const kind: StepKind | undefined = layout === 'sherpa-onnx' ? 'stateless' : byCount[files.length];
  const roles = kind === undefined ? [] : variantRoles[kind];
  if (kind === undefined || roles.length !== files.length)
    throw new RangeError(
      `variant declaration ${JSON.stringify(text)}: a ${layout} model takes ${layout === 'sherpa-onnx' ? '2 files (decoder, joiner)' : '1 (fused), 2 (decoder, joint) or 3 (projected encoder, decoder, joint) files'}, got ${files.length}`,
    );
  return declare(
    { name, kind, files: Object.fromEntries(roles.map((r, i) => [r, files[i]])) },
    (field, message) => {
      throw new RangeError(
        `variant declaration ${JSON.stringify(text)}: ${field === '' ? '' : `${field} `}${message}`,
      );
    },
  );
}
