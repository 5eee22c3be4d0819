// Loads the committed tone model (trained by scripts/train-tone-model.ts) once per process.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseToneModel, type ToneModel, type ToneModelFile } from '../domain/guard/tone-model.ts';

export const TONE_MODEL_PATH = join(dirname(fileURLToPath(import.meta.url)), 'models', 'tone-model.json');

let loaded: ToneModel | undefined;

export function loadToneModel(path = TONE_MODEL_PATH): ToneModel {
  if (path === TONE_MODEL_PATH && loaded) return loaded;
  const model = parseToneModel(JSON.parse(readFileSync(path, 'utf8')) as ToneModelFile);
  if (path === TONE_MODEL_PATH) loaded = model;
  return model;
}
