/**
 * Step-model ports: what the decode loop needs from a model, independent of any runtime.
 *
 * Every port is batch-shaped: `B` rows travel together (B = 1 for single-utterance decoding).
 * Rows are laid out contiguously (`h` is B*H floats, row r at `r*H`). Methods write into
 * caller-owned output buffers so the hot loop allocates nothing; a method returns `void` when the
 * model is synchronous and a promise when it is not, and `isSync` tells the loop which, so a
 * synchronous model never pays for a promise.
 */

/** Output of one prediction-net step for B rows. */
export interface PredictionOutput {
  /** [B*H] prediction-net output (the `decoder` tensor, [B,H,1] in the model). */
  readonly decoder: Float32Array;
  /** [B*H] next hidden state. */
  readonly h: Float32Array;
  /** [B*H] next cell state. */
  readonly c: Float32Array;
}

/** Output of one joint step for B rows. */
export interface JointOutput {
  /** [B] argmax token id per row. */
  readonly tokens: Int32Array;
  /** [B] softmax probability of that token. */
  readonly probs: Float32Array;
}

/** Output of one fused step (prediction net + joint in one call) for B rows. */
export interface FusedOutput extends JointOutput {
  /** [B*H] next hidden state (committed only if the row emits a non-blank). */
  readonly h: Float32Array;
  /** [B*H] next cell state. */
  readonly c: Float32Array;
}

/** Sizes shared by every model kind. */
export interface ModelDims {
  /**
   * LSTM hidden size H (state is [layers, B, H]; layers is 1 for Parakeet EOU). For a stateless
   * model, the width D of the prediction net's output.
   */
  readonly hiddenSize: number;
  /** Encoder frame width E. */
  readonly encoderDim: number;
  /** Number of output classes V (blank is usually V-1). */
  readonly vocabSize: number;
  /** Largest B the model accepts; 1 for single-row models. */
  readonly maxBatch: number;
  /** Milliseconds per encoder frame, when known (model.json `frameMs`); the default for timestamps. */
  readonly frameMs?: number;
}

/** Split model: a prediction net and a joint, two calls per step (the shipped `ref` layout). */
export interface SplitStepModel extends ModelDims {
  readonly kind: 'split';
  readonly isSync: boolean;
  /** Runs the prediction net on `tokens` [B] from state (`h`, `c`) [B*H]. */
  predict(tokens: Int32Array, h: Float32Array, c: Float32Array, out: PredictionOutput): void | Promise<void>;
  /** Runs the joint on encoder frames [B*E] and prediction outputs [B*H]. */
  joint(encoderFrames: Float32Array, decoder: Float32Array, out: JointOutput): void | Promise<void>;
}

/** Fused model: one call per step (`decoder_joint_decision_fused`). */
export interface FusedStepModel extends ModelDims {
  readonly kind: 'fused';
  readonly isSync: boolean;
  step(
    tokens: Int32Array,
    h: Float32Array,
    c: Float32Array,
    encoderFrames: Float32Array,
    out: FusedOutput,
  ): void | Promise<void>;
}

/**
 * Projected model: the joint's two input projections are hoisted out of the step. The encoder
 * projection runs once per chunk, the prediction projection once per emission, and each step
 * only adds, applies ReLU and the output layer (NeMo's `project_encoder` / `project_prednet` /
 * `joint_after_projection`).
 */
export interface ProjectedStepModel extends ModelDims {
  readonly kind: 'projected';
  readonly isSync: boolean;
  /** Joint hidden size J. */
  readonly jointDim: number;
  /** Projects `frames` [T*E] (T frames of one row) into `out` [T*J]. */
  projectEncoder(frames: Float32Array, frameCount: number, out: Float32Array): void | Promise<void>;
  /** Runs the prediction net and projects its output: `out.decoder` receives [B*J] projected values. */
  predict(tokens: Int32Array, h: Float32Array, c: Float32Array, out: PredictionOutput): void | Promise<void>;
  /** Joint after projection: `encProjected` [B*J], `predProjected` [B*J]. */
  jointProjected(
    encProjected: Float32Array,
    predProjected: Float32Array,
    out: JointOutput,
  ): void | Promise<void>;
}

/**
 * Stateless model (the sherpa-onnx / icefall transducer layout): the prediction net is a pure
 * function of the last `contextSize` tokens (no h, no c), and the joint decides from an encoder
 * frame and the prediction net's output. Its `hiddenSize` is the width D of that output
 * (`decoder_out` [B,D]); the decode state carries no recurrent state for it.
 */
export interface StatelessStepModel extends ModelDims {
  readonly kind: 'stateless';
  readonly isSync: boolean;
  /** Tokens of context K the prediction net reads (2 for the zipformer transducers). */
  readonly contextSize: number;
  /**
   * Runs the prediction net on `contexts` [B*K] (row r's last K tokens, oldest first, at `r*K`;
   * -1 pads the start context) into `out` [B*D].
   */
  predict(contexts: Int32Array, out: Float32Array): void | Promise<void>;
  /** Runs the joint on encoder frames [B*E] and prediction outputs [B*D] (argmax and its softmax probability). */
  joint(encoderFrames: Float32Array, decoder: Float32Array, out: JointOutput): void | Promise<void>;
}

/**
 * A model with an LSTM prediction net (h, c and the last token): the Parakeet contract's three
 * layouts. `loadModelDirectory` returns one of these.
 */
export type StepModel = SplitStepModel | FusedStepModel | ProjectedStepModel;

/** Any model the loop can drive: the LSTM layouts and the stateless one. */
export type AnyStepModel = StepModel | StatelessStepModel;

/** The step-model kinds, one loop strategy each. */
export type StepKind = AnyStepModel['kind'];

/** Every {@link StepKind}. */
export const stepKinds: readonly StepKind[] = ['split', 'fused', 'projected', 'stateless'];
