"""`koers corpus check`: the real corpus passes; each kind of broken document is caught with its reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.route_graph import load_route_graph
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
    assert any("routes.yaml bestaat niet" in p for p in result.graph_problems)


def _problems_with_section(folder: Path, body: str, kind: str) -> list[str]:
    """The problems of ``kind`` that a good document gets when a section with ``body`` is added to it."""
    _doc(folder, "a.md", FRONT.format(id="a", labels="[]"))
    text = (folder / "a.md").read_text(encoding="utf-8")
    (folder / "a.md").write_text(f"{text}\n\n## Meer\n\n{body}\n", encoding="utf-8")
    return [p for d in check_corpus(folder).docs for p in d.problems if kind in p]


def test_a_niveau_sentence_must_say_what_it_points_at(tmp_path: Path) -> None:
    ladder = (
        "Je begint met Timmerman (niveau 2). Daarna kun je verder met Allround timmerman (niveau 3). "
        "Na Allround timmerman kun je naar niveau 4. Begin je liever op niveau 2? Dat kan ook. "
        "Allround timmerman duurt twee jaar. Die duurt twee jaar. Vraag daar hoe lang het duurt."
    )
    problems = _problems_with_section(tmp_path, ladder, "leans on")
    assert problems == [
        "niveau sentence leans on the sentence before it, so Koers cannot quote it alone: 'Daarna kun je "
        "verder met Allround timmerman (niveau 3).'; name what 'daarna', 'die', 'ze' ... point at",
        "duration sentence leans on the sentence before it, so Koers cannot quote it alone: 'Die duurt twee "
        "jaar.'; name what 'daarna', 'die', 'ze' ... point at",
    ]


def test_a_sentence_may_not_speak_about_its_document(tmp_path: Path) -> None:
    body = (
        "Hier lees je over lesgeld. Het lesgeld verandert elk jaar. Daarom staat het bedrag hier niet. "
        "Vraag je school naar het bedrag."
    )
    problems = _problems_with_section(tmp_path, body, "about the document")
    assert problems == [  # the opening signpost is never quoted, so it may stay
        "sentence speaks about the document, so Koers cannot quote it: 'Daarom staat het bedrag hier niet.'; "
        "say the fact itself ('Het bedrag verandert elk jaar.')"
    ]


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


def _corpus_copy(tmp_path: Path) -> tuple[Path, dict]:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus, yaml.safe_load((corpus / "routes.yaml").read_text(encoding="utf-8"))


def _save_graph(corpus: Path, graph: dict) -> None:
    (corpus / "routes.yaml").write_text(yaml.safe_dump(graph, allow_unicode=True), encoding="utf-8")


def test_every_beroep_is_reached_by_a_route(tmp_path: Path) -> None:
    corpus, graph = _corpus_copy(tmp_path)
    graph["edges"] = [e for e in graph["edges"] if e["to"] != "beroep:fotograaf"]
    graph["edges"].append({"from": "mbo-domein:ICT", "to": "beroep:netwerkbeheerder", "type": "leidt-tot"})
    _save_graph(corpus, graph)
    problems = check_corpus(corpus).graph_problems
    assert "beroep 'beroep:fotograaf' is reached by no route (no 'leidt-tot' edge leads to it)" in problems
    # A domein stands in for the opleiding only where no source names one.
    edge = "edge mbo-domein:ICT -> beroep:netwerkbeheerder"
    assert f"{edge}: a domein leads to a beroep only where no opleiding does" in problems


def test_every_opleiding_needs_niveaus_a_bron_and_steps_that_go_up(tmp_path: Path) -> None:
    corpus, graph = _corpus_copy(tmp_path)
    node = next(n for n in graph["nodes"] if n["id"] == "mbo:Technicus engineering")
    del node["niveaus"], node["bron"]
    low = next(n for n in graph["nodes"] if n["id"] == "mbo:Medewerker productietechniek")
    graph["edges"].append({"from": "mbo:Operator C", "to": low["id"], "type": "stapelen"})
    graph["edges"].append({"from": low["id"], "to": "mbo:Operator C", "type": "bevat"})
    _save_graph(corpus, graph)
    problems = check_corpus(corpus).graph_problems
    assert any(p.startswith("opleiding 'mbo:Technicus engineering' has no niveaus") for p in problems)
    assert any(p.startswith("opleiding 'mbo:Technicus engineering' has no bron") for p in problems)
    assert (
        "stapelen mbo:Operator C -> mbo:Medewerker productietechniek does not go to a higher niveau"
        in problems
    )
    assert f"edge {low['id']} -> mbo:Operator C: only a dossier 'bevat' an opleiding" in problems


def test_a_niveau_ladder_runs_from_niveau_2_through_3_to_4() -> None:
    graph = load_route_graph(CORPUS / "routes.yaml")
    ladders = graph.ladders()
    assert len(ladders) >= 12
    for low, middle, high in ladders:
        assert (
            2 in graph.node(low).niveaus and 3 in graph.node(middle).niveaus and 4 in graph.node(high).niveaus
        )
        assert middle in graph.successors(low, "stapelen") and high in graph.successors(middle, "stapelen")


def _write_body(corpus: Path, text: str) -> str:
    path = corpus / "beroepen" / "lasser.md"
    front, _, _ = path.read_text(encoding="utf-8").partition("\n# ")
    title = front.split('title: "', 1)[1].split('"', 1)[0]
    path.write_text(f"{front}\n# {title}\n\n{text}\n\n" + GOOD_BODY.split("\n\n", 1)[1], encoding="utf-8")
    return "beroepen/lasser.md"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Na het vmbo kies je Technicus engineering (niveau 2).", "says 'Technicus engineering' is niveau 2"),
        ("Daarna kun je Technicus engineering op niveau 3 doen.", "says 'Technicus engineering' is niveau 3"),
        ("Je kiest Allround ruimtevaartlasser (niveau 3).", "not in routes.yaml"),
        ("De opleiding Technicus engineering wordt afgebouwd.", "is afbouw; routes.yaml has status open"),
        ("Scheepsbouwer is gestopt.", "says 'Scheepsbouwer' is gestopt; routes.yaml has status afbouw"),
    ],
)
def test_what_a_document_says_about_an_opleiding_must_match_the_graph(
    tmp_path: Path, text: str, problem: str
) -> None:
    corpus, _ = _corpus_copy(tmp_path)
    source = _write_body(corpus, text)
    checked = {d.source: " ".join(d.problems) for d in check_corpus(corpus).docs}
    assert problem in checked[source]


def test_generic_level_names_and_matching_niveaus_pass(tmp_path: Path) -> None:
    corpus, _ = _corpus_copy(tmp_path)
    source = _write_body(
        corpus, "Je begint met de vakopleiding (niveau 3). Technicus engineering (niveau 4) duurt langer."
    )
    checked = {d.source: d.problems for d in check_corpus(corpus).docs}
    assert checked[source] == []


def test_an_opleiding_label_must_be_a_node_of_the_graph(tmp_path: Path) -> None:
    corpus, _ = _corpus_copy(tmp_path)
    path = corpus / "beroepen" / "lasser.md"
    text = path.read_text(encoding="utf-8").replace(
        "labels: [", 'labels: ["mbo:Monteur laag- en middenspanningsdistributie", ', 1
    )
    path.write_text(text, encoding="utf-8")
    checked = {d.source: " ".join(d.problems) for d in check_corpus(corpus).docs}
    assert (
        "label 'mbo:Monteur laag- en middenspanningsdistributie' names an opleiding that is not in"
        in checked["beroepen/lasser.md"]
    )


def test_an_interest_word_that_most_documents_use_is_reported(tmp_path: Path) -> None:
    corpus, graph = _corpus_copy(tmp_path)
    node = next(n for n in graph["nodes"] if n["id"] == "mbo:Machinist railvervoer")
    node["interests"].append("techniek")
    _save_graph(corpus, graph)
    problems = check_corpus(corpus).graph_problems
    assert any(p.startswith("interest 'techniek' of mbo:Machinist railvervoer is in ") for p in problems)
    assert not any(p.startswith("interest 'treinen'") for p in problems)
