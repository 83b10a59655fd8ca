/**
 * CoreML model -> graph IR (domain `coreml.mil`): const ops become initializers named after their
 * output variable (blob data included), every other op a node whose `inputNames` are the MIL
 * keyword names; graph inputs/outputs follow the model description's order.
 */
import type { AttributeValue, DType, Graph, GraphNode, Model, TensorValue, ValueInfo } from '@eou/graph';
import { coremlError } from './coremlFormatError';
import type { ArrayDataType, CoreMLModel, FeatureDescription } from './coremlModel';
import { mainFunction } from './coremlModel';
import type { MilType, MilValue } from './milProgram';
import { IR_DTYPE_OF_MIL, milStringAttribute } from './milProgram';

/** Domain of MIL operations in the graph IR. */
export const MIL_DOMAIN = 'coreml.mil';

const IR_OF_ARRAY: Record<ArrayDataType, DType> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int32: 'int32',
  int8: 'int8',
};

function valueInfoOfFeature(f: FeatureDescription): ValueInfo {
  if (f.type.kind === 'multiArray' || f.type.kind === 'state')
    return { name: f.name, dtype: IR_OF_ARRAY[f.type.dataType], shape: [...f.type.shape] };
  return {
    name: f.name,
    dtype: f.type.kind === 'string' ? 'string' : f.type.kind === 'double' ? 'float64' : 'int64',
    shape: [],
  };
}

function valueInfoOfType(name: string, t: MilType): ValueInfo | undefined {
  if (t.kind !== 'tensor') return undefined;
  const dtype = IR_DTYPE_OF_MIL[t.dtype];
  if (dtype === undefined) return undefined;
  return { name, dtype, shape: t.shape === null ? [] : t.shape.map((d) => (d === '?' ? -1 : d)) };
}

function tensorOf(v: MilValue): TensorValue | undefined {
  if (v.kind === 'tensor') return v.data;
  if (v.kind === 'blob') return v.data;
  return undefined;
}

function attributeOf(v: MilValue): AttributeValue | undefined {
  const t = tensorOf(v);
  if (t === undefined) return undefined;
  if (t.dtype === 'string' && t.dims.length === 0) return { type: 'string', value: (t.data as string[])[0]! };
  return { type: 'tensor', value: t };
}

/**
 * Maps a CoreML model's `main` function onto the graph IR.
 * @throws {CoreMLFormatError} E_MIL_TYPE when an op uses a variable nothing defines.
 */
export function milToGraph(model: CoreMLModel): Model {
  const file = model.path || 'model';
  const fn = mainFunction(model.program, file);
  const initializers = new Map<string, TensorValue>();
  const nodes: GraphNode[] = [];
  const valueInfo: ValueInfo[] = [];
  const defined = new Set(fn.inputs.map((i) => i.name));
  for (const op of fn.operations) {
    const opName = milStringAttribute(op.attributes, 'name') ?? op.outputs[0]?.name ?? op.type;
    if (op.type === 'const') {
      const val = op.attributes.find((a) => a.name === 'val')?.value;
      const out = op.outputs[0];
      if (out === undefined || val === undefined)
        throw coremlError('E_MIL_TYPE', file, `op ${opName}`, 'const needs one output and a val attribute');
      const t = tensorOf(val);
      if (t !== undefined) initializers.set(out.name, t);
      defined.add(out.name);
      continue;
    }
    const inputs: string[] = [];
    const inputNames: string[] = [];
    for (const arg of op.inputs) {
      arg.bindings.forEach((b, i) => {
        let name: string;
        if (b.kind === 'name') {
          name = b.name;
          if (!defined.has(name))
            throw coremlError(
              'E_MIL_TYPE',
              file,
              `op ${opName}`,
              `argument ${arg.param} uses ${name}, which is not defined before it`,
            );
        } else {
          const t = tensorOf(b.value);
          if (t === undefined)
            throw coremlError(
              'E_MIL_TYPE',
              file,
              `op ${opName}`,
              `argument ${arg.param} holds a non-tensor literal`,
            );
          name = `${opName}_${arg.param}${arg.bindings.length > 1 ? `_${i}` : ''}`;
          initializers.set(name, t);
        }
        inputs.push(name);
        inputNames.push(arg.param);
      });
    }
    const attributes: Record<string, AttributeValue> = {};
    for (const a of op.attributes) {
      if (a.name === 'name') continue;
      const av = attributeOf(a.value);
      if (av !== undefined) attributes[a.name] = av;
    }
    for (const o of op.outputs) {
      defined.add(o.name);
      const vi = valueInfoOfType(o.name, o.type);
      if (vi) valueInfo.push(vi);
    }
    nodes.push({
      name: opName,
      opType: op.type,
      domain: MIL_DOMAIN,
      inputs,
      inputNames,
      outputs: op.outputs.map((o) => o.name),
      attributes,
    });
  }
  for (const o of fn.outputs)
    if (!defined.has(o))
      throw coremlError('E_MIL_TYPE', file, `output ${o}`, 'the function returns a variable nothing defines');
  const d = model.description;
  // names and dtypes from the description, shapes from the program when it has flexible ('?') dims
  const milTypes = new Map<string, ValueInfo>();
  for (const i of fn.inputs) {
    const vi = valueInfoOfType(i.name, i.type);
    if (vi) milTypes.set(i.name, vi);
  }
  for (const v of valueInfo) milTypes.set(v.name, v);
  const withMilShape = (v: ValueInfo): ValueInfo => {
    const m = milTypes.get(v.name);
    return m !== undefined && m.shape.some((d) => d === -1) ? { ...v, shape: m.shape } : v;
  };
  const graph: Graph = {
    name: fn.name,
    inputs:
      d.inputs.length > 0
        ? d.inputs.map((f) => withMilShape(valueInfoOfFeature(f)))
        : fn.inputs.flatMap((i) => valueInfoOfType(i.name, i.type) ?? []),
    outputs:
      d.outputs.length > 0
        ? d.outputs.map((f) => withMilShape(valueInfoOfFeature(f)))
        : fn.outputs.map(
            (o) => valueInfo.find((v) => v.name === o) ?? { name: o, dtype: 'float32', shape: [] },
          ),
    initializers,
    nodes,
    valueInfo,
  };
  const md = d.metadata;
  return {
    graph,
    opsetImports: [{ domain: MIL_DOMAIN, version: Number(fn.opset.replace(/^ios/, '')) }],
    irVersion: 0,
    producerName: 'coreml',
    producerVersion: String(model.specificationVersion),
    metadata: {
      ...md.userDefined,
      ...(md.author ? { author: md.author } : {}),
      ...(md.shortDescription ? { shortDescription: md.shortDescription } : {}),
      ...(md.versionString ? { version: md.versionString } : {}),
    },
  };
}
