"""Writes the goldens for dev.jtorch.io: .npy/.npz files by numpy itself (np.save, np.savez,
np.savez_compressed, np.lib.format.write_array), and .safetensors files by the small writer below.

The Python `safetensors` package is not installed where these were generated, so `write_safetensors`
follows the format as the Rust crate (huggingface/safetensors, safetensors/src/tensor.rs `prepare` and
`Metadata::serialize`) writes it: tensors sorted by descending Dtype enum position, then by name; header
JSON compact, "__metadata__" first, then tensors in data order with keys dtype, shape, data_offsets;
padded with spaces to a multiple of 8. cases.txt lists each array's expected values (floats as float.hex).

Run: /usr/bin/python3 gen_io.py  (numpy 1.24, torch 1.13 for bfloat16 bits; writes beside itself). cases.txt's
second line lists the binary files written here, which carry no header (GoldenHeadersTest reads that list).
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

os.chdir(os.path.dirname(os.path.abspath(__file__)))
cases = []
binaries = []


def binary(name):
    """A binary fixture's file name, recorded for the list in cases.txt."""
    binaries.append(name)
    return name


def values(a):
    flat = np.ascontiguousarray(a).reshape(-1)
    if a.dtype.kind == 'f':
        return [float(x).hex() for x in flat.astype(np.float64)]
    return [str(int(x)) for x in flat]


def case(name, a, dtype=None):
    shape = ",".join(str(d) for d in a.shape)
    cases.append(f"{name} {dtype or a.dtype.name} [{shape}] " + " ".join(values(a)))


def sample(dt, shape):
    n = int(np.prod(shape))
    if dt == np.bool_:
        return (np.arange(n) % 3 == 1).reshape(shape)
    if np.dtype(dt).kind == 'f':
        v = (np.arange(n) - 2.5) * 0.75
        v[-1:] = 65504.0 if n else v[-1:]
        return v.astype(dt).reshape(shape)
    info = np.iinfo(dt)
    v = np.arange(n, dtype=np.int64) * 37 - 11
    v[0] = info.min
    v[-1] = info.max
    return v.astype(dt).reshape(shape)


DTYPES = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64']
for dt in DTYPES:
    a = sample(np.dtype(dt).type, (2, 3))
    np.save(binary(f"c_{dt}.npy"), a)
    case(f"c_{dt}.npy", a)
for dt in ['int16', 'int32', 'int64', 'float16', 'float32', 'float64']:
    a = sample(np.dtype(dt).type, (3, 2)).astype(np.dtype(dt).newbyteorder('>'))
    np.save(binary(f"be_{dt}.npy"), a)
    case(f"be_{dt}.npy", a, dt)
for dt in ['float32', 'int64']:
    a = np.asfortranarray(sample(np.dtype(dt).type, (2, 3, 4)))
    np.save(binary(f"f_{dt}.npy"), a)
    case(f"f_{dt}.npy", a)
a = np.array(3.25)
np.save(binary("scalar_float64.npy"), a)
case("scalar_float64.npy", a)
a = np.zeros((12345, 0), np.float32)
np.save(binary("empty_float32.npy"), a)
case("empty_float32.npy", a)
a = sample(np.int32, (7,))
np.save(binary("vec_int32.npy"), a)
case("vec_int32.npy", a)
for v in [(2, 0), (3, 0)]:
    a = sample(np.float32, (2, 2))
    with open(binary(f"v{v[0]}_float32.npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=v)
    case(f"v{v[0]}_float32.npy", a)
np.save(binary("object.npy"), np.array([1, "a"], dtype=object), allow_pickle=True)
np.save(binary("complex64.npy"), np.array([1 + 2j], np.complex64))
np.save(binary("uint16.npy"), np.array([1, 2], np.uint16))

npz = {"w": sample(np.float32, (3, 4)), "b": sample(np.int64, (4,)), "mask": sample(np.bool_, (2, 2))}
np.savez(binary("stored.npz"), **npz)
np.savez_compressed(binary("deflated.npz"), **npz)
for k, a in npz.items():
    case(f"npz:{k}", a)

# ------------------------------------------------------------------ safetensors
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "F16": 7, "BF16": 8, "I32": 9, "F32": 11, "F64": 12, "I64": 13}


def write_safetensors(path, tensors, metadata=None):
    """tensors: name -> (dtype name, shape, little-endian bytes)."""
    order = sorted(tensors, key=lambda k: (-RANK[tensors[k][0]], k.encode()))
    header, offset = {}, 0
    if metadata is not None:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for k in order:
        dt, shape, data = tensors[k]
        header[k] = {"dtype": dt, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(binary(path), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(tensors[k][2] for k in order))


ST = {"BOOL": 'bool', "U8": 'uint8', "I8": 'int8', "I16": 'int16', "I32": 'int32', "I64": 'int64',
      "F16": 'float16', "F32": 'float32', "F64": 'float64'}
tensors = {}
names = {"BOOL": "mask", "U8": "pixels", "I8": "q", "I16": "s", "I32": "idx", "I64": "step",
         "F16": "half", "F32": "layer.0.weight", "F64": "layer.10.bias"}
for i, (st, dt) in enumerate(ST.items()):
    a = sample(np.dtype(dt).type, (2, i % 3 + 1))
    tensors[names[st]] = (st, a.shape, a.astype(np.dtype(dt).newbyteorder('<')).tobytes())
    case(f"st:{names[st]}", a)
bf = torch.tensor([[1.5, -2.0, 3.0e38], [0.0, -0.0, 1e-3]], dtype=torch.bfloat16)
tensors["brain"] = ("BF16", (2, 3), bf.view(torch.int16).numpy().astype('<i2').tobytes())
case("st:brain", bf.float().numpy(), "bfloat16")
tensors["layer.0.bias"] = ("F32", (3,), np.array([0.5, -1.0, 2.0], '<f4').tobytes())
case("st:layer.0.bias", np.array([0.5, -1.0, 2.0], np.float32))
tensors["scalar"] = ("F32", (), np.array(7.0, '<f4').tobytes())
case("st:scalar", np.array(7.0, np.float32))
tensors["empty"] = ("F32", (0, 4), b"")
case("st:empty", np.zeros((0, 4), np.float32))
write_safetensors("all.safetensors", tensors)
write_safetensors("meta.safetensors", {"x": ("F32", (2,), np.array([1, 2], '<f4').tobytes())},
                  {"format": "pt", "note": "quote \" slash \\ é"})
write_safetensors("empty.safetensors", {})

# An older writer's layout: header keys by name, data in another order; readers sort by offsets.
with open(binary("legacy_order.safetensors"), "wb") as f:
    h = json.dumps({"a": {"dtype": "I32", "shape": [1], "data_offsets": [4, 8]},
                    "b": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    f.write(struct.pack("<Q", len(h)) + h + np.array([20, 10], '<i4').tobytes())

goldenlib.write(__file__, "cases.txt", ["# binary fixtures: " + " ".join(sorted(binaries))] + cases)
