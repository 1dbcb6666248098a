/**
 * {@code torch.utils.data}: datasets ({@link dev.jtorch.data.Dataset}, {@link dev.jtorch.data.TensorDataset},
 * {@link dev.jtorch.data.Subset}, {@link dev.jtorch.data.ConcatDataset}, {@code random_split} as
 * {@link dev.jtorch.data.Dataset#randomSplit}), samplers and the single-process
 * {@link dev.jtorch.data.DataLoader} with PyTorch's default collate. With the same {@code manualSeed} the batches
 * come in PyTorch's order, epoch after epoch, because every random draw (the loader's per-iterator base seed, the
 * sampler's seed, the permutations) is the one PyTorch makes. Written against jtorch's public API; may import
 * {@code dev.jtorch} only.
 */
package dev.jtorch.data;
