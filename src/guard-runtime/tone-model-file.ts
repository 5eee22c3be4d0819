// Loads the committed tone model (trained by scripts/train-tone-model.ts) once per process: the JSON
// header and the float32 weights, read straight into a typed array (no parsing of numbers).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseToneModel, type ToneModel, type ToneModelFile } from '../domain/guard/tone-model.ts';

export const TONE_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'models');

let loaded: ToneModel | undefined;

export function loadToneModel(dir = TONE_MODEL_DIR): ToneModel {
  if (dir === TONE_MODEL_DIR && loaded) return loaded;
  const header = JSON.parse(readFileSync(join(dir, 'tone-model.json'), 'utf8')) as ToneModelFile;
  const bytes = readFileSync(join(dir, 'tone-model.bin'));
  // Copy into an aligned buffer (a Buffer may sit at any offset of a shared pool); the file is little-endian.
  const weights = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(weights.buffer).set(bytes);
  const model = parseToneModel(header, weights);
  if (dir === TONE_MODEL_DIR) loaded = model;
  return model;
}
