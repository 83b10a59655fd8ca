/** Shapes of synthetic models: the Parakeet EOU contract, and a tiny one for fast tests. */

/** Sizes of a synthetic model. */
export interface SynthShape {
  readonly name: SynthShapeName;
  /** Text pieces (ids 0..textVocab-1); then EOU, EOB, blank. */
  readonly textVocab: number;
  /** LSTM hidden = embedding size H. */
  readonly hiddenSize: number;
  /** Encoder dim E (a power of two; the joint's token-evidence block has E units). */
  readonly encoderDim: number;
  /** Joint hidden J (E token-evidence units + J-E prediction-net units). */
  readonly jointDim: number;
  /** Joint units per token code (K); partners share K-1. */
  readonly codeSize: number;
  /** Largest code overlap between non-partner tokens. */
  readonly maxOverlap: number;
  /** Block size of the cell-gate Hadamard (a power of two dividing H). */
  readonly cellBlock: number;
}

export type SynthShapeName = 'parakeet-eou' | 'tiny';

export const synthShapes: Readonly<Record<SynthShapeName, SynthShape>> = {
  'parakeet-eou': {
    name: 'parakeet-eou',
    textVocab: 1024,
    hiddenSize: 640,
    encoderDim: 512,
    jointDim: 640,
    codeSize: 8,
    maxOverlap: 2,
    cellBlock: 128,
  },
  tiny: {
    name: 'tiny',
    textVocab: 45,
    hiddenSize: 40,
    encoderDim: 32,
    jointDim: 40,
    codeSize: 4,
    maxOverlap: 2,
    cellBlock: 8,
  },
};

/** The shape called `name`; RangeError naming the choices otherwise. */
export function synthShape(name: string): SynthShape {
  const s = (synthShapes as Record<string, SynthShape>)[name];
  if (!s)
    throw new RangeError(
      `unknown synthetic shape "${name}" (choices: ${Object.keys(synthShapes).join(', ')})`,
    );
  return s;
}
