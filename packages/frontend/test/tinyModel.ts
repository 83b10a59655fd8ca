/** Opens the tiny EOU model for tests: node:fs reads and ONNX Runtime sessions. */
import { existsSync, readFileSync } from 'node:fs';
import { openOnnxSession } from '@eou/onnx-runtime';
import type { ModelDirectoryIO } from '@eou/rnnt-decode';
import { loadStreamingModel, type StreamingModel } from '../src/index';
import { tinyModelDir } from './paths';

export const nodeIO: ModelDirectoryIO = {
  readText: (p) => readFileSync(p, 'utf8'),
  exists: (p) => existsSync(p),
  openSession: (p) => openOnnxSession(p),
};

export function openTinyModel(variant = 'ref'): Promise<StreamingModel> {
  return loadStreamingModel(tinyModelDir, nodeIO, { variant });
}
