/**
 * Tensor file formats: {@link dev.jtorch.io.SafeTensors} (Hugging Face's safetensors) and
 * {@link dev.jtorch.io.Npy} (numpy's .npy and .npz), both byte-compatible with the Python writers.
 * Readers check every size a header claims against the bytes present before allocating, verify each .npz entry's
 * CRC-32, bound what an archive may inflate to ({@link dev.jtorch.io.Npy#loadNpz(java.nio.file.Path, long)}), and name
 * the file (and the archive entry) in every error.
 * May import only the public API of {@code dev.jtorch} and {@code dev.jtorch.nn}.
 */
package dev.jtorch.io;
