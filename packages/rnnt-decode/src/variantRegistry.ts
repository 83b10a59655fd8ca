/**
 * One layout's variants: its built-ins plus the ones a user declared by file, looked up by name.
 * This is what a gate or CLI resolves `--variants` against.
 */
import { builtInVariants, unservedVariants, type ModelLayout, type VariantSpec } from './variants';

/** The variants a model directory of one layout can serve. */
export interface VariantRegistry {
  readonly layout: ModelLayout;
  /** Built-ins first (report order), then the declared variants in their order. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** @throws RangeError listing the names */
  spec(name: string): VariantSpec<string>;
}

/**
 * The built-in variants of `layout` plus `declared` ones.
 * @param declared a user's variants (`--variant`, a declarations file): new names only
 * @param own the model directory's own variants (model.json `variants`): these may redefine a
 *   built-in name, because a directory says what its own `ref` is (a zoo model whose files are
 *   named `decoder-epoch-99-avg-1.onnx`)
 * @throws RangeError when a declared variant is of another layout, or reuses a name
 */
export function createVariantRegistry(
  layout: ModelLayout = 'eou',
  declared: readonly VariantSpec<string>[] = [],
  own: readonly VariantSpec<string>[] = [],
): VariantRegistry {
  const builtIns = builtInVariants[layout];
  if (builtIns === undefined)
    throw new RangeError(`layout must be one of eou, sherpa-onnx, got ${JSON.stringify(layout)}`);
  const byName = new Map<string, VariantSpec<string>>(Object.entries(builtIns));
  for (const spec of own) {
    if (spec.layout !== layout)
      throw new RangeError(
        `variant \`${spec.name}\` is a ${spec.kind} variant of the ${spec.layout} layout; this model is ${layout}`,
      );
    // A directory's own `ref` (or `int8-decoder`) is that role in other files: it keeps the role's numerics.
    const role = Object.hasOwn(builtIns, spec.name) ? builtIns[spec.name] : undefined;
    byName.set(spec.name, role === undefined ? spec : Object.freeze({ ...spec, numerics: role.numerics }));
  }
  for (const spec of declared) {
    if (spec.layout !== layout) {
      throw new RangeError(
        `variant \`${spec.name}\` is a ${spec.kind} variant of the ${spec.layout} layout; this registry is for ${layout}`,
      );
    }
    if (byName.has(spec.name)) {
      throw new RangeError(
        `variant name \`${spec.name}\` is taken (${Object.hasOwn(builtIns, spec.name) ? `a built-in ${layout} variant` : own.some((o) => o.name === spec.name) ? "one of the model directory's variants" : 'declared twice'}); pick another`,
      );
    }
    byName.set(spec.name, spec);
  }
  const names = Object.freeze([...byName.keys()]);
  return Object.freeze({
    layout,
    names,
    has: (name: string) => byName.has(name),
    spec(name: string): VariantSpec<string> {
      const found = byName.get(name);
      const unserved = unservedVariants[layout];
      if (found === undefined && Object.hasOwn(unserved, name))
        throw new RangeError(`variant \`${name}\` does not apply to the ${layout} layout: ${unserved[name]}`);
      if (found === undefined)
        throw new RangeError(`variant must be one of ${names.join(', ')}, got ${JSON.stringify(name)}`);
      return found;
    },
  });
}
