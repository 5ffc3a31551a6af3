"""Incremental ingest into a real Chroma store with the real model, recorded in a real SQLite manifest."""

from __future__ import annotations

from pathlib import Path

from bot.adapters import LazyEmbedder
from ingest.container import build_ingestor
from ingest.pipeline import Ingestor
from tests.conftest import make_settings


def _write(folder: Path, name: str, doc_id: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f'---\nid: {doc_id}\ntitle: "{doc_id}"\nkind: beroep\nlabels: ["vmbo:PIE"]\n'
        "bronnen:\n  - titel: Bron\n    url: https://example.org\nbijgewerkt: 2026-11-28\n"
        f"---\n{body}\n",
        encoding="utf-8",
    )


def _ingestor(tmp_path: Path, embedder: LazyEmbedder) -> Ingestor:
    return build_ingestor(make_settings(tmp_path / "store"), embedder)


def test_sync_is_idempotent_incremental_and_removes_deleted_files(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    _write(
        corpus,
        "a.md",
        "doc-a",
        "## Een\n\nEen lasser verbindt metaal.\n\n## Twee\n\nEen monteur installeert.",
    )
    _write(corpus, "b.md", "doc-b", "Een timmerman bouwt met hout.")
    ingestor = _ingestor(tmp_path, embedder)

    first = ingestor.sync(corpus)
    assert (first.count("added"), first.chunks_embedded) == (2, 3)

    again = ingestor.sync(corpus)
    assert (again.count("unchanged"), again.chunks_embedded, again.chunks_deleted) == (2, 0, 0)

    _write(
        corpus, "a.md", "doc-a", "## Een\n\nEen lasser verbindt metaal.\n\n## Twee\n\nEen monteur sluit aan."
    )
    (corpus / "b.md").unlink()
    changed = ingestor.sync(corpus)
    assert (changed.count("updated"), changed.count("deleted")) == (1, 1)
    assert (changed.chunks_embedded, changed.chunks_deleted) == (1, 2)
    assert ingestor.store.count() == 2


def test_a_broken_new_version_keeps_the_previous_chunks(tmp_path: Path, embedder: LazyEmbedder) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus, "good.md", "good", "Een elektricien legt leidingen aan.")
    _write(corpus, "later-broken.md", "later-broken", "Een installateur plaatst een warmtepomp.")
    ingestor = _ingestor(tmp_path, embedder)
    assert ingestor.sync(corpus).ok
    before = ingestor.store.count()

    (corpus / "later-broken.md").write_text("---\nid: [unclosed\n---\ntekst\n", encoding="utf-8")
    report = ingestor.sync(corpus)
    assert [source for source, _ in report.failed] == ["later-broken.md"]
    assert "geen geldige YAML" in report.failed[0][1]
    assert ingestor.store.count() == before
    # Still reported on the next run, still without losing anything.
    assert [s for s, _ in ingestor.sync(corpus).failed] == ["later-broken.md"]
    assert ingestor.store.count() == before


def test_a_lost_store_is_rebuilt_although_the_manifest_says_unchanged(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus, "a.md", "doc-a", "Een lasser verbindt metaal.")
    manifest = tmp_path / "manifest.sqlite"
    first = make_settings(tmp_path / "first", ingest={"manifest_path": manifest})
    assert build_ingestor(first, embedder).sync(corpus).chunks_embedded == 1
    # Same manifest, empty store (a deleted or restored-from-old-backup vector store).
    second = make_settings(tmp_path / "second", ingest={"manifest_path": manifest})
    report = build_ingestor(second, embedder).sync(corpus)
    assert (report.count("updated"), report.chunks_embedded) == (1, 1)


def test_unchanged_files_are_split_again_when_the_chunk_size_changes(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    _write(
        corpus,
        "a.md",
        "doc-a",
        "\n\n".join(f"Zin {n} gaat over een lasser die metaal verbindt." for n in range(12)),
    )
    store = tmp_path / "store"
    default = build_ingestor(make_settings(store), embedder)
    assert default.sync(corpus).count("added") == 1
    before = default.store.count()
    smaller = build_ingestor(make_settings(store, ingest={"chunk_chars": 200, "overlap_chars": 0}), embedder)
    assert smaller.sync(corpus).count("updated") == 1, "a file split with other settings is not 'unchanged'"
    assert smaller.store.count() == len(smaller.store.chunk_ids(school="", origin="corpus")) > before
    assert smaller.sync(corpus).count("unchanged") == 1


def test_national_and_school_documents_are_kept_apart(tmp_path: Path, embedder: LazyEmbedder) -> None:
    ingestor = _ingestor(tmp_path, embedder)
    _write(tmp_path / "national", "n.md", "national-doc", "Het profiel PIE gaat over metaal en elektro.")
    _write(tmp_path / "school-a", "s.md", "school-doc", "Onze school biedt het keuzevak lassen aan.")
    _write(tmp_path / "school-b", "s.md", "school-doc", "Wij bieden het keuzevak lassen niet aan.")
    ingestor.sync(tmp_path / "national")
    ingestor.sync(tmp_path / "school-a", school="school-a")
    ingestor.sync(tmp_path / "school-b", school="school-b")
    vector = embedder.embed(["keuzevak lassen"], kind="query")[0]

    def texts(school: str | None) -> set[str]:
        return {hit.chunk.text for hit in ingestor.store.query(vector, top_k=10, school=school)}

    national = "Het profiel PIE gaat over metaal en elektro."
    assert texts("school-a") == {national, "Onze school biedt het keuzevak lassen aan."}
    assert texts("school-b") == {national, "Wij bieden het keuzevak lassen niet aan."}
    assert texts(None) == {national}
    # Syncing the national folder again must not touch the schools' documents.
    assert ingestor.sync(tmp_path / "national").chunks_deleted == 0
    assert len(texts("school-a")) == 2
