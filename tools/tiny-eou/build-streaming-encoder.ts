/**
 * Builds the tiny model's cache-aware streaming encoder from the shipped `encoder.onnx`, with the
 * project's graph tools (the ONNX reader/writer of `@eou/fusion`); no retraining, the same weights.
 *
 * The whole-utterance encoder pads the time axis of each causal conv block on the left with
 * `kernel - 1` zeros (`Pad` nodes `/enc/Pad_1` .. `/enc/Pad_6`). The step graph replaces each of
 * those with `Concat(cache_k, x)` along time, where `cache_k` [1, C, kernel-1] is the block input's
 * last `kernel - 1` frames of the previous chunk (zero at the start, which is what the zero padding
 * was), and returns `new_cache_k` = the last `kernel - 1` frames of that concatenation. Everything
 * else (feature floor and normalisation, the zero padding of a partial last group of 8 mel frames,
 * the frame stacking) is the shipped graph, so a stream of chunks of 8k mel frames (the last one
 * any length) gives the whole-utterance frames. Nodes that only computed the old pads are dropped.
 *
 * Run from the repository root:
 *   node --conditions=@eou/source --import tsx tools/tiny-eou/build-streaming-encoder.ts [MODEL_DIR]
 * It writes MODEL_DIR/encoder_streaming.onnx and the `encoder.streaming` block of MODEL_DIR/model.json.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readOnnxFile, writeOnnx, type Graph, type GraphNode, type Model, type TensorValue } from '@eou/graph';

const modelDir = resolve(process.argv[2] ?? 'packages/tiny-eou-model/model');
const source = readOnnxFile(join(modelDir, 'encoder.onnx'));
const g = source.graph;

const pads = g.nodes.filter((n) => n.opType === 'Pad' && /^\/enc\/Pad_\d+$/.test(n.name));
const convs = g.nodes.filter((n) => n.opType === 'Conv');
if (pads.length !== convs.length || pads.length === 0) throw new Error(`expected one /enc/Pad_k per Conv, got ${pads.length} pads and ${convs.length} convs`);

const int64 = (values: number[]): TensorValue => ({ dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
const initializers = new Map(g.initializers);
const extraInputs: Graph['inputs'][number][] = [];
const extraOutputs: Graph['outputs'][number][] = [];
const replaced = new Map<string, GraphNode[]>();

pads.forEach((pad, k) => {
  const conv = convs.find((c) => c.inputs[0] === pad.outputs[0]);
  if (conv === undefined) throw new Error(`${pad.name} does not feed a Conv`);
  const kernel = (conv.attributes['kernel_shape'] as { value: number[] }).value[0]!;
  const weightName = conv.inputs[1]!;
  const weightDims = (g.initializers.get(weightName) ?? g.initializers.get(`${weightName}_f16`))?.dims;
  if (weightDims === undefined) throw new Error(`no initializer for ${weightName}`);
  const channels = weightDims[1]!;
  const state = `cache_${k}`;
  const context = kernel - 1;
  initializers.set(`stream/starts_${k}`, int64([-context]));
  initializers.set(`stream/ends_${k}`, int64([Number.MAX_SAFE_INTEGER]));
  initializers.set(`stream/axes_${k}`, int64([2]));
  extraInputs.push({ name: state, dtype: 'float32', shape: [1, channels, context] });
  extraOutputs.push({ name: `new_${state}`, dtype: 'float32', shape: [1, channels, context] });
  replaced.set(pad.name, [
    { name: `/stream/Concat_${k}`, opType: 'Concat', domain: '', inputs: [state, pad.inputs[0]!], outputs: [pad.outputs[0]!], attributes: { axis: { type: 'int', value: 2 } } },
    {
      name: `/stream/Slice_${k}`,
      opType: 'Slice',
      domain: '',
      inputs: [pad.outputs[0]!, `stream/starts_${k}`, `stream/ends_${k}`, `stream/axes_${k}`],
      outputs: [`new_${state}`],
      attributes: {},
    },
  ]);
});

let nodes = g.nodes.flatMap((n) => replaced.get(n.name) ?? [n]);
const outputs = [...g.outputs, ...extraOutputs];
// Drop what no output needs any more (the dynamic pad computations).
const needed = new Set(outputs.map((o) => o.name));
const kept: GraphNode[] = [];
for (let i = nodes.length - 1; i >= 0; i--) {
  const n = nodes[i]!;
  if (!n.outputs.some((o) => needed.has(o))) continue;
  kept.push(n);
  for (const x of n.inputs) if (x !== '') needed.add(x);
}
nodes = kept.reverse();
for (const name of [...initializers.keys()]) if (!needed.has(name)) initializers.delete(name);

const model: Model = {
  ...source,
  graph: {
    ...g,
    name: `${g.name}_streaming`,
    inputs: [...g.inputs, ...extraInputs],
    outputs,
    nodes,
    initializers,
    valueInfo: [],
  },
  metadata: {
    ...source.metadata,
    'eou.kind': 'streaming_encoder',
    'eou.producer': `tools/tiny-eou/build-streaming-encoder.ts from encoder.onnx (${source.metadata['eou.producer'] ?? 'unknown producer'})`,
  },
};
const out = join(modelDir, 'encoder_streaming.onnx');
writeFileSync(`${out}.tmp`, writeOnnx(model));
renameSync(`${out}.tmp`, out);

const jsonPath = join(modelDir, 'model.json');
const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { encoder: Record<string, unknown> };
json.encoder['features'] = { kind: 'nemo-logmel', ...(json.encoder['features'] as object) };
json.encoder['streaming'] = {
  file: 'encoder_streaming.onnx',
  input: 'features',
  inputLayout: 'bins-first',
  output: 'encoded',
  outputLayout: 'bins-first',
  states: { prefix: 'new_' },
  schedule: { name: 'tiny-160ms', unit: 'frames', windowFrames: 16, shiftFrames: 16, tail: 'partial', frameMs: 80 },
};
writeFileSync(`${jsonPath}.tmp`, `${JSON.stringify(json, null, 2)}\n`);
renameSync(`${jsonPath}.tmp`, jsonPath);
console.log(`${out}: ${nodes.length} nodes (from ${g.nodes.length}), states ${extraInputs.map((i) => `${i.name} [${i.shape.join(',')}]`).join(', ')}`);
