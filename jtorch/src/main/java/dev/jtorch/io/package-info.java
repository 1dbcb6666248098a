/**
 * Tensor file formats: {@link dev.jtorch.io.SafeTensors} (Hugging Face's safetensors) and
 * {@link dev.jtorch.io.Npy} (numpy's .npy and .npz), both byte-compatible with the Python writers.
 * May import only the public API of {@code dev.jtorch} and {@code dev.jtorch.nn}.
 */
package dev.jtorch.io;
