/**
 * The one place `lib/agents/` imports TensorFlow.js from.
 *
 * Production mode turns off tfjs debug checks and its console hints (under Deno it otherwise
 * suggests installing the Node.js backend on the first tensor). Deno has no WebGL, so tfjs runs on
 * its pure-JavaScript CPU backend, which is deterministic.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

tf.enableProdMode();

export { tf };
