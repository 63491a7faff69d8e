/**
 * The one place `lib/` imports TensorFlow.js from.
 *
 * Production mode turns off tfjs debug checks and its console hints (under Deno it otherwise
 * suggests installing the Node.js backend on the first tensor). Deno has no WebGL, so tfjs runs on
 * its pure-JavaScript CPU backend, which is deterministic.
 *
 * The CPU backend is selected here, when tfjs is first loaded and before any tensor exists. In the
 * main thread it is the only backend tfjs registers, but in a Web Worker tfjs takes Deno for a
 * browser and registers WebGL too: left to choose, it would probe WebGL on the first tensor and
 * print the failures with their stack traces. Selecting `cpu` first skips the probe in every
 * process and worker that loads tfjs through this module, with the same backend, hence the same
 * numbers. `setBackend` initialises the CPU backend synchronously (its promise is already settled
 * when it returns), so nothing has to wait for it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

tf.enableProdMode();
tf.setBackend("cpu");

export { tf };
