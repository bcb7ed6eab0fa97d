// `eqv_safetensors.py`, written beside every generated PyTorch module: reading and writing
// eqv's safetensors weights (docs/formats.md) with the `safetensors` package when it is
// installed, else with the small reader and writer here (an 8-byte little-endian header length,
// a JSON header, little-endian tensor data), and loading them into a generated module by
// eqv's dotted names or their aliases, with every mismatch reported at once.

export const SAFETENSORS_MODULE = 'eqv_safetensors';

export const PYTHON_SAFETENSORS = String.raw`# eqv_safetensors: eqv's weights files (safetensors, docs/formats.md) for generated PyTorch modules.
# Uses the safetensors package when installed, else the small reader and writer below.
import json
import struct
from typing import Dict, Optional

import torch

try:  # optional dependency
    from safetensors.torch import load_file as _st_load, save_file as _st_save
except ImportError:  # pragma: no cover - depends on the machine
    _st_load = None
    _st_save = None

_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32}
_NAMES = {v: k for k, v in _DTYPES.items()}


class WeightsError(Exception):
    """A weights file that does not fit the model, or is not a safetensors file."""


def read_safetensors(path: str) -> Dict[str, torch.Tensor]:
    """Every tensor of a safetensors file, in its stored dtype, on the CPU."""
    if _st_load is not None:
        return _st_load(path)
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise WeightsError(f"{path}: not a safetensors file ({len(data)} bytes)")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise WeightsError(f"{path}: corrupt safetensors file: header length {n} does not fit in {len(data)} bytes")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except ValueError as e:
        raise WeightsError(f"{path}: corrupt safetensors file: the header is not JSON ({e})")
    body = data[8 + n:]
    out: Dict[str, torch.Tensor] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise WeightsError(f"{path}: tensor {name} has dtype {info['dtype']}, not one of {', '.join(_DTYPES)}")
        begin, end = info["data_offsets"]
        if not (0 <= begin <= end <= len(body)):
            raise WeightsError(f"{path}: tensor {name} has offsets {begin}..{end} outside the {len(body)} data bytes")
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=dtype) if end > begin else torch.zeros(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def write_safetensors(path: str, tensors: Dict[str, torch.Tensor], metadata: Optional[Dict[str, str]] = None) -> None:
    """Tensors (float32/float64/int64) to a safetensors file, in name order, header padded to 8 bytes."""
    tensors = {k: v.detach().cpu().contiguous() for k, v in tensors.items()}
    if _st_save is not None:
        _st_save(tensors, path, metadata=metadata)
        return
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        raw = t.numpy().tobytes() if t.numel() > 0 else b""
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = dict(metadata)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


def load_eqv_weights(model: torch.nn.Module, path: str) -> None:
    """Loads an eqv weights file into a generated module: each parameter by its dotted name or one
    of its aliases, any shape with the right number of elements (C order), as eqv does."""
    tensors = read_safetensors(path)
    aliases = getattr(model, "parameter_aliases", {})
    # state_dict: the parameters and the persistent buffers (a batch norm's running statistics).
    names = dict(model.state_dict(keep_vars=True))
    errors = []
    used = set()
    missing = []
    for name, param in names.items():
        found = [n for n in [name] + list(aliases.get(name, [])) if n in tensors]
        if not found:
            missing.append(name)
            continue
        if len(found) > 1:
            errors.append(f"parameter {name} is given more than once, as {' and '.join(found)}")
        used.update(found)
        t = tensors[found[0]]
        if t.numel() != param.numel():
            errors.append(f"{found[0]}: expected {param.numel()} elements (shape {list(param.shape)}), the file has {t.numel()} (shape {list(t.shape)})")
            continue
        with torch.no_grad():
            param.copy_(t.reshape(param.shape).to(param.dtype))
    if missing:
        errors.append("missing parameter" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing))
    unexpected = [n for n in tensors if n not in used]
    if unexpected:
        errors.append("unexpected tensor" + ("s" if len(unexpected) > 1 else "") + " in the weights file: " + ", ".join(unexpected))
    if errors:
        raise WeightsError(f"the weights {path} do not fit model {getattr(model, 'model_name', type(model).__name__)}:\n  " + "\n  ".join(errors))


def save_eqv_weights(model: torch.nn.Module, path: str, metadata: Optional[Dict[str, str]] = None, dtype: torch.dtype = torch.float32) -> None:
    """The module's parameters as an eqv weights file (F32 by default, as eqv writes them)."""
    tensors = {name: p.detach().to(dtype) for name, p in model.state_dict(keep_vars=True).items()}
    meta = {"model": getattr(model, "model_name", type(model).__name__), "format": "eqv"}
    meta.update(metadata or {})
    write_safetensors(path, tensors, meta)
`;
