import { TelcoAnalyticsError } from '../data/errors.js';
import type { NeuralBackend } from './neural-model.js';

/** The TensorFlow.js namespace, as a type only: nothing here loads TensorFlow.js until called. */
export type TensorFlow = typeof import('@tensorflow/tfjs');

/** Which backend to ask for: `auto` tries tfjs-node, then wasm, then the pure-JS cpu backend. */
export type BackendPreference = 'auto' | NeuralBackend;

// A variable specifier keeps bundlers and the type checker from requiring the optional peer.
const nodeBindingPackage = '@tensorflow/tfjs-node';

/**
 * Imports TensorFlow.js lazily and selects a backend (DESIGN.md): `@tensorflow/tfjs-node` when the
 * user installed it, otherwise `@tensorflow/tfjs-backend-wasm`, otherwise `cpu`. TensorFlow.js keeps
 * its backend in global state; this sets it for the process, as any TF.js program does.
 */
export async function loadTensorFlow(
  preference: BackendPreference,
): Promise<{ tf: TensorFlow; backend: NeuralBackend }> {
  if (preference === 'auto' || preference === 'tensorflow') {
    try {
      const tf = (await import(nodeBindingPackage)) as TensorFlow;
      if (await tf.setBackend('tensorflow')) return { tf, backend: 'tensorflow' };
    } catch (error) {
      if (preference === 'tensorflow') {
        throw new TelcoAnalyticsError(
          'UNSUPPORTED',
          `trainNeural: backend 'tensorflow' needs the optional package @tensorflow/tfjs-node`,
          { cause: error },
        );
      }
    }
  }
  const tf = await import('@tensorflow/tfjs');
  if (preference === 'auto' || preference === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { tf, backend: 'wasm' };
      }
    } catch (error) {
      if (preference === 'wasm')
        throw new TelcoAnalyticsError('UNSUPPORTED', 'trainNeural: the wasm backend could not start', {
          cause: error,
        });
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}
