"""The E5S1 reader: Q4_0 dequantisation, name mapping and clear errors on damaged files."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from bot.adapters.offline_model.e5s1 import E5S1FormatError, bert_name, dequantize_q4_0, read_e5s1


def test_dequantize_q4_0_uses_low_then_high_nibbles_minus_eight() -> None:
    scale = np.float16(0.5).tobytes()
    # Byte i holds value i (low nibble) and value 16+i (high nibble).
    packed = bytes(((15 - i) << 4) | i for i in range(16))
    values = dequantize_q4_0(scale + packed, rows=1, cols=32)[0]
    expected_low = [(i - 8) * 0.5 for i in range(16)]
    expected_high = [((15 - i) - 8) * 0.5 for i in range(16)]
    assert values.tolist() == expected_low + expected_high


def test_bert_names_follow_the_transformers_layout() -> None:
    assert bert_name("emb.word") == "embeddings.word_embeddings.weight"
    assert bert_name("l3.fi.w") == "encoder.layer.3.intermediate.dense.weight"
    assert bert_name("l11.aln.b") == "encoder.layer.11.attention.output.LayerNorm.bias"
    with pytest.raises(E5S1FormatError):
        bert_name("l1.zz.w")


def test_wrong_magic_is_rejected() -> None:
    with pytest.raises(E5S1FormatError, match="magic"):
        read_e5s1(b"GGUF" + bytes(100))


def test_truncated_file_is_rejected() -> None:
    header = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", 384, 12, 12, 1536, 10, 512, 2)
    with pytest.raises(E5S1FormatError, match="truncated"):
        read_e5s1(header)
