"""`koers corpus check`: the real corpus passes; each kind of broken document is caught with its reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.route_graph import load_route_graph
from ingest.corpus_check import check_corpus, corpus_stats
from tests.conftest import CORPUS

GOOD_BODY = (
    "# {title}\n\n"
    + "Lassen is metaal aan elkaar vastmaken met warmte. Een lasser werkt vaak in een werkplaats. " * 12
    + "\n\n## Wat doe je?\n\n"
    + "Je leest een tekening. Je kiest de juiste las. Je controleert je werk goed. " * 6
)


def _doc(folder: Path, name: str, front: str, title: str = "Lassen test") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"---\n{front}\n---\n{GOOD_BODY.format(title=title)}", encoding="utf-8")


FRONT = (
    'id: {id}\ntitle: "Lassen test"\nkind: beroep\nlabels: {labels}\n'
    'bronnen:\n  - titel: "OOM nieuwsbrief"\n    url: "https://oom.nl/x"\nbijgewerkt: 2026-11-28'
)


def test_the_national_corpus_passes_every_check() -> None:
    result = check_corpus(CORPUS)
    problems = {d.source: d.problems for d in result.docs if d.problems}
    assert problems == {}
    assert result.graph_problems == []
    stats = corpus_stats(result)
    assert stats.documents >= 70 and stats.per_kind["beroep"] >= 20
    assert all(d.avg_sentence <= 15 for d in result.docs)


def test_the_route_graph_links_profielen_to_opleidingen_and_beroepen() -> None:
    graph = load_route_graph(CORPUS / "routes.yaml")
    for profiel in ("vmbo:PIE", "vmbo:BWI", "vmbo:M&T", "vmbo:MaT", "vmbo:MVI", "vmbo:D&P"):
        assert len(graph.reachable(profiel, "opleiding")) >= 3
        assert graph.reachable(profiel, "beroep")
    assert graph.niveaus_for("BB") and 3 not in graph.niveaus_for("BB")
    assert 4 in graph.niveaus_for("KB")


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        (FRONT.format(id="x", labels='["vmbo:PIEE"]'), "is not one of"),
        (FRONT.format(id="x", labels='["beroep:lasser"]'), "unknown kind"),
        (FRONT.format(id="x", labels="[]").split("bronnen:")[0] + "bijgewerkt: 2026-11-28", "bronnen"),
        (FRONT.format(id="X Y", labels="[]"), "id"),
        (FRONT.format(id="x", labels="[]").replace("kind: beroep", "kind: blog"), "kind"),
    ],
)
def test_front_matter_problems_are_reported(tmp_path: Path, front: str, problem: str) -> None:
    _doc(tmp_path, "doc.md", front)
    result = check_corpus(tmp_path)
    assert problem in " ".join(result.docs[0].problems)


def test_content_problems_are_reported(tmp_path: Path) -> None:
    _doc(tmp_path, "a.md", FRONT.format(id="a", labels="[]"))
    long_sentence = " ".join(["woord"] * 30) + "."
    text = (tmp_path / "a.md").read_text(encoding="utf-8")
    text += f"\n\n## Te lang\n\n{long_sentence} {long_sentence} De code is 12345 en je verdient €1800.\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    _doc(tmp_path, "b.md", FRONT.format(id="a", labels="[]"))  # duplicate id
    _doc(tmp_path, "c.md", FRONT.format(id="c", labels="[]"), title="Een andere titel")
    result = check_corpus(tmp_path)
    by_source = {d.source: " ".join(d.problems) for d in result.docs}
    assert "12345 is not a verified opleidingscode" in by_source["a.md"]
    assert "amount of money" in by_source["a.md"]
    assert "id 'a' is also used by a.md" in by_source["b.md"]
    assert "first line must be '# '" in by_source["c.md"]
    assert any("routes.yaml does not exist" in p for p in result.graph_problems)


def test_graph_integrity_problems_are_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    graph = yaml.safe_load((corpus / "routes.yaml").read_text(encoding="utf-8"))
    graph["edges"].append({"from": "vmbo:PIE", "to": "beroep:astronaut", "type": "doorstroom"})
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "vmbo:MaT"]
    (corpus / "routes.yaml").write_text(yaml.safe_dump(graph, allow_unicode=True), encoding="utf-8")
    problems = check_corpus(corpus).graph_problems
    assert "edge vmbo:PIE -> beroep:astronaut: no node 'beroep:astronaut'" in problems
    assert "technical profiel 'vmbo:MaT' is missing" in problems
