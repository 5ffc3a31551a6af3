"""Heading-aware splitting with stable ids."""

from __future__ import annotations

from pathlib import Path

from ingest.documents import load_markdown
from ingest.split import split_document

DOC = """---
id: test-doc
title: "Lassen"
kind: beroep
labels: ["mbo:Medewerker productietechniek"]
bronnen:
  - titel: "Bron"
    url: "https://example.org"
bijgewerkt: 2026-11-28
---
# Lassen

Lassen is metaal aan elkaar vastmaken.

## Wat doe je?

Je werkt met een lasapparaat.

### Veiligheid

Je draagt een laskap.
"""


def _doc(tmp_path: Path, text: str = DOC) -> Path:
    path = tmp_path / "lassen.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_sections_follow_headings_and_keep_their_path(tmp_path: Path) -> None:
    chunks = split_document(load_markdown(_doc(tmp_path), tmp_path))
    assert [(c.heading, c.text) for c in chunks] == [
        ("", "Lassen is metaal aan elkaar vastmaken."),
        ("Wat doe je?", "Je werkt met een lasapparaat."),
        ("Wat doe je? > Veiligheid", "Je draagt een laskap."),
    ]
    assert all(c.labels == ["mbo:Medewerker productietechniek"] and c.source == "lassen.md" for c in chunks)


def test_ids_are_stable_and_change_only_with_content(tmp_path: Path) -> None:
    first = [c.id for c in split_document(load_markdown(_doc(tmp_path), tmp_path))]
    again = [c.id for c in split_document(load_markdown(_doc(tmp_path), tmp_path))]
    edited = DOC.replace("laskap", "laskap en handschoenen")
    changed = [c.id for c in split_document(load_markdown(_doc(tmp_path, edited), tmp_path))]
    assert first == again
    assert first[:2] == changed[:2] and first[2] != changed[2]
    assert all(i.startswith("test-doc:") for i in first)
