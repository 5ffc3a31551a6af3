"""The ingest manifest (ingest/manifest.py): what it keeps per file, per school and folder, on real SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ingest.manifest import FileRecord, Manifest


def record(path: str, *, school: str = "", status: str = "ok", conflicts: tuple[str, ...] = ()) -> FileRecord:
    return FileRecord(
        school=school,
        origin="corpus",
        path=path,
        sha256=f"hash-{path}",
        doc_id=path.removesuffix(".md"),
        chunk_ids=(f"{path}:000", f"{path}:001"),
        status="ok" if status == "ok" else "failed",
        error="" if status == "ok" else "Dit bestand is leeg.",
        conflicts=conflicts,
    )


def test_a_record_comes_back_as_written_and_a_new_one_replaces_it(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    first = record("lassen.md", conflicts=("Bel 113 voor hulp.",))
    manifest.put(first)
    assert manifest.records(school="", origin="corpus") == {"lassen.md": first}
    failed = record("lassen.md", status="failed")
    manifest.put(failed)
    assert manifest.records(school="", origin="corpus") == {"lassen.md": failed}
    manifest.remove(school="", origin="corpus", path="lassen.md")
    assert manifest.records(school="", origin="corpus") == {}


def test_schools_and_folders_are_kept_apart(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    manifest.put(record("gids.md", school="de-wissel"))
    manifest.put(record("gids.md"))
    assert list(manifest.records(school="de-wissel", origin="corpus")) == ["gids.md"]
    assert manifest.records(school="andere-school", origin="corpus") == {}
    assert manifest.records(school="", origin="uploads") == {}
    manifest.remove(school="de-wissel", origin="corpus", path="gids.md")
    assert list(manifest.records(school="", origin="corpus")) == ["gids.md"], "only that school's row goes"


def test_a_manifest_written_before_conflicts_were_kept_is_upgraded_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "manifest.sqlite"
    with sqlite3.connect(path) as conn:  # the schema of an older Koers, without the conflicts column
        conn.execute(
            "CREATE TABLE files (school TEXT NOT NULL, origin TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT"
            " NOT NULL, doc_id TEXT NOT NULL, chunk_ids TEXT NOT NULL, status TEXT NOT NULL, error TEXT NOT"
            " NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT (datetime('now')),"
            " PRIMARY KEY (school, origin, path))"
        )
        conn.execute(
            "INSERT INTO files (school, origin, path, sha256, doc_id, chunk_ids, status)"
            " VALUES ('', 'corpus', 'oud.md', 'h', 'oud', '[\"oud:000\"]', 'ok')"
        )
    conn.close()
    [old] = Manifest(path).records(school="", origin="corpus").values()
    assert (old.doc_id, old.chunk_ids, old.conflicts) == ("oud", ("oud:000",), ())
