"""Ingest into a real Chroma store with the real model: idempotent, incremental, bad files reported."""

from __future__ import annotations

from pathlib import Path

from bot.adapters import LazyEmbedder, build_store
from ingest.pipeline import sync_folder
from tests.conftest import make_settings


def _write(folder: Path, name: str, doc_id: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f'---\nid: {doc_id}\ntitle: "{doc_id}"\nkind: beroep\nlabels: ["vmbo:PIE"]\n'
        "bronnen:\n  - titel: Bron\n    url: https://example.org\nbijgewerkt: 2026-11-28\n"
        f"---\n{body}\n",
        encoding="utf-8",
    )


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
    store = build_store(make_settings(tmp_path / "store"), embedder)

    first = sync_folder(corpus, embedder, store)
    assert (first.documents, first.added, first.unchanged, first.deleted) == (2, 3, 0, 0)

    again = sync_folder(corpus, embedder, store)
    assert (again.added, again.unchanged, again.deleted) == (0, 3, 0)

    _write(
        corpus, "a.md", "doc-a", "## Een\n\nEen lasser verbindt metaal.\n\n## Twee\n\nEen monteur sluit aan."
    )
    (corpus / "b.md").unlink()
    changed = sync_folder(corpus, embedder, store)
    assert (changed.added, changed.unchanged, changed.deleted) == (1, 1, 2)
    assert store.count() == 2
    assert {s for s in store.chunk_sources().values()} == {"a.md"}


def test_a_broken_file_is_reported_and_keeps_its_previous_chunks(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus, "good.md", "good", "Een elektricien legt leidingen aan.")
    _write(corpus, "later-broken.md", "later-broken", "Een installateur plaatst een warmtepomp.")
    store = build_store(make_settings(tmp_path / "store"), embedder)
    assert sync_folder(corpus, embedder, store).ok

    (corpus / "later-broken.md").write_text("---\nid: [unclosed\n---\ntekst\n", encoding="utf-8")
    (corpus / "no-front-matter.md").write_text("Alleen tekst.\n", encoding="utf-8")
    (corpus / "latin1.md").write_bytes("---\nid: x\n---\nCaf\xe9\n".encode("latin-1"))
    report = sync_folder(corpus, embedder, store)

    reasons = dict(report.failed)
    assert set(reasons) == {"later-broken.md", "no-front-matter.md", "latin1.md"}
    assert "not valid YAML" in reasons["later-broken.md"]
    assert "no front matter" in reasons["no-front-matter.md"]
    assert "UTF-8" in reasons["latin1.md"]
    assert sorted(store.chunk_sources().values()) == ["good.md", "later-broken.md"]


def test_national_and_school_documents_are_kept_apart(tmp_path: Path, embedder: LazyEmbedder) -> None:
    store = build_store(make_settings(tmp_path / "store"), embedder)
    _write(tmp_path / "national", "n.md", "national-doc", "Het profiel PIE gaat over metaal en elektro.")
    _write(tmp_path / "school", "s.md", "school-doc", "Onze school biedt het keuzevak lassen aan.")
    sync_folder(tmp_path / "national", embedder, store)
    sync_folder(tmp_path / "school", embedder, store, school="school-a")
    vector = embedder.embed(["keuzevak lassen"], kind="query")[0]

    def docs(school: str | None) -> set[str]:
        return {hit.chunk.doc_id for hit in store.query(vector, top_k=5, school=school)}

    assert docs("school-a") == {"national-doc", "school-doc"}
    assert docs(None) == {"national-doc"}
    assert docs("school-b") == {"national-doc"}
    # Syncing the national folder again must not delete the school's documents.
    assert sync_folder(tmp_path / "national", embedder, store).deleted == 0
    assert docs("school-a") == {"national-doc", "school-doc"}
