/**
 * Opens a Silero VAD a user points at, for the end of speech of files whose manifest has none: the
 * CoreML model as FluidAudio ships it (`.mlmodelc` or `.mlpackage`, converted to ONNX in memory by
 * `@eou/coreml-format`, so it runs on any OS) or an ONNX file of the same graph.
 */
import fs from 'node:fs';
import path from 'node:path';
import { milToOnnx, readCoreML } from '@eou/coreml-format';
import { createSileroVad, type SileroVad } from '@eou/frontend';
import { writeOnnx } from '@eou/graph';
import { openOnnxSession } from '@eou/onnx-runtime';
import { GateError } from './gateError';
import { sha256 } from './modelDirectory';

/** An opened VAD with what a provenance record needs. */
export interface OpenedVad {
  readonly vad: SileroVad;
  /** The path given. */
  readonly path: string;
  /** `coreml (converted to ONNX)` or `onnx`. */
  readonly format: string;
  /** sha256 of the ONNX graph that runs. */
  readonly sha256: string;
  close(): Promise<void>;
}

/** Every file of a directory model, hashed in path order (for a CoreML bundle). */
function hashTree(dir: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  return sha256(files.map((f) => `${path.relative(dir, f)} ${sha256(fs.readFileSync(f))}`).join('\n'));
}

/**
 * Opens the VAD at `vadPath`.
 * @throws {GateError} `E_BAD_MODEL` naming the path: missing, not a model, not the Silero graph
 */
export async function openVad(vadPath: string): Promise<OpenedVad> {
  if (!fs.existsSync(vadPath))
    throw new GateError('E_BAD_MODEL', `${vadPath}: no such VAD model (an .mlmodelc, .mlpackage or .onnx)`, {
      file: vadPath,
    });
  try {
    const isDir = fs.statSync(vadPath).isDirectory();
    const bytes = isDir
      ? writeOnnx(milToOnnx(readCoreML(vadPath)))
      : new Uint8Array(fs.readFileSync(vadPath));
    const session = await openOnnxSession(
      { bytes, name: vadPath },
      { intraOpNumThreads: 1, interOpNumThreads: 1 },
    );
    try {
      return {
        vad: createSileroVad(session),
        path: vadPath,
        format: isDir ? 'coreml (converted to ONNX)' : 'onnx',
        sha256: isDir ? hashTree(vadPath) : sha256(bytes),
        close: async () => {
          await session.close();
        },
      };
    } catch (error) {
      await session.close();
      throw error;
    }
  } catch (error) {
    if (
      error instanceof Error &&
      /^(CoreMLFormatError|OnnxRuntimeError|FrontendError|GraphError)$/.test(error.name)
    )
      throw new GateError('E_BAD_MODEL', error.message.split('\n')[0]!, { file: vadPath, cause: error });
    throw error;
  }
}
