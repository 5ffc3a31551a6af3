"""The grounding check on real corpus passages, retrieved by the real service, with the real model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.adapters import LazyEmbedder
from bot.answer.grounding import GroundingResult, check_grounding, in_reading_order
from bot.core.config import ComposerSettings
from bot.core.schemas import Citation, RetrievedChunk
from bot.service import ChatService

THRESHOLD = ComposerSettings().grounding_threshold  # the shipped value, measured in bot/answer/grounding.py

ELEKTRICIEN = "Wat doet een elektricien?"
BBL = "Wat is BBL?"
LESGELD = "Wat kost het mbo?"
MEELOOPDAG = "Hoe meld ik me aan voor een meeloopdag?"
CREBO = "Wat is een crebo code?"

Retrieve = Callable[[str], list[RetrievedChunk]]


@pytest.fixture(scope="module")
def retrieve(service: ChatService) -> Retrieve:
    found: dict[str, list[RetrievedChunk]] = {}

    def hits(question: str) -> list[RetrievedChunk]:
        if question not in found:
            found[question] = service.respond(question).hits
        return found[question]

    return hits


def number_of(hits: list[RetrievedChunk], snippet: str) -> int:
    """The 1-based number the LLM sees for the retrieved passage containing ``snippet``."""
    for number, hit in enumerate(hits, start=1):
        if snippet in hit.chunk.text:
            return number
    raise AssertionError(f"no retrieved passage has {snippet!r}: {[h.chunk.id for h in hits]}")


def check(reply: str, hits: list[RetrievedChunk], question: str, embedder: LazyEmbedder) -> GroundingResult:
    return check_grounding(reply, hits, question, embedder, THRESHOLD)


def cited(claim: str, number: int) -> str:
    return f"{claim.rstrip('.')} [{number}]."


@pytest.mark.parametrize(
    ("question", "snippet", "claim"),
    [
        (BBL, "BBL staat voor beroepsbegeleidende leerweg", "BBL betekent beroepsbegeleidende leerweg."),
        (BBL, "BBL staat voor", "In de BBL werk je 3 of 4 dagen per week bij een bedrijf."),
        (ELEKTRICIEN, "zorg je dat de stroom", "Je sluit lampen, schakelaars en stopcontacten aan."),
        (
            ELEKTRICIEN,
            "zorg je dat de stroom",
            "Tegenwoordig sluit je steeds vaker zonnepanelen of een laadpaal aan.",
        ),
        (MEELOOPDAG, "Hoe je je aanmeldt", "Vaak kun je je aanmelden via de site van de mbo-school."),
        (MEELOOPDAG, "Met een BB-diploma begin je op niveau 2", "Met een BB-diploma start je op niveau 2."),
        # A question joined to the cited answer after it, as the corpus itself writes.
        (LESGELD, "Dan betaal je geen lesgeld", "Ben je nog geen 18? Dan hoef je geen lesgeld te betalen."),
        # A verified code that the cited passage really has.
        (CREBO, "Crebo staat voor", "Technicus engineering heeft bijvoorbeeld code 25919."),
    ],
)
def test_faithful_sentence_is_grounded(
    retrieve: Retrieve, embedder: LazyEmbedder, question: str, snippet: str, claim: str
) -> None:
    hits = retrieve(question)
    result = check(cited(claim, number_of(hits, snippet)), hits, question, embedder)
    assert result.ok, result.reasons


@pytest.mark.parametrize(
    ("question", "snippet", "claim", "reason"),
    [
        (
            ELEKTRICIEN,
            "zorg je dat de stroom",
            "Een elektricien werkt vooral op zee en op boorplatforms.",
            "no cited",
        ),
        (BBL, "BBL staat voor", "In de BBL zit je elke dag op school.", "no cited sentence"),
        (BBL, "BBL staat voor", "In de BBL krijg je geen loon.", "no cited sentence"),
        (
            LESGELD,
            "Dan betaal je geen lesgeld",
            "Ben je jonger dan 18? Dan betaal je wel lesgeld.",
            "negation",
        ),
        # "niveau 3 of 4" is in the passage, but for KB, GL and TL: the claim must match its own sentence.
        (
            MEELOOPDAG,
            "Met een BB-diploma begin je op niveau 2",
            "Met een BB-diploma begin je op niveau 3.",
            "3",
        ),
        (
            MEELOOPDAG,
            "Met een BB-diploma begin je",
            "Met een BB-diploma begin je op niveau twee of vier.",
            "4",
        ),
        (
            MEELOOPDAG,
            "Met een BB-diploma begin je",
            "Met een BB-diploma begin je na twintig weken op niveau 2.",
            "20",
        ),
        (BBL, "BBL staat voor", "Je krijgt 3.500 euro loon volgens de cao.", "numbers not in the source"),
        (
            BBL,
            "Vaak werk je 3 of 4 dagen",
            "Vaak werk je 3 of 4 dagen per week voor 4 euro per uur.",
            "money",
        ),
        (CREBO, "Crebo staat voor", "Technicus engineering heeft bijvoorbeeld code 25431.", "25431"),
        (
            CREBO,
            "Crebo staat voor",
            "Scholen gebruiken de codes voor hun administratie [{beyond}].",
            "does not exist",
        ),
    ],
)
def test_unsupported_sentence_is_rejected(
    retrieve: Retrieve, embedder: LazyEmbedder, question: str, snippet: str, claim: str, reason: str
) -> None:
    hits = retrieve(question)
    number = number_of(hits, snippet)
    # "[{beyond}]": a citation number one past the passages Koers found, so it points at nothing.
    reply = claim.format(beyond=len(hits) + 1) if "[" in claim else cited(claim, number)
    result = check(f"Goede vraag! {reply} Praat er ook over met je mentor.", hits, question, embedder)
    assert not result.ok
    assert any(reason in r for r in result.reasons), result.reasons
    assert result.citations == []


def test_accepted_answer_is_renumbered_and_quotes_verbatim(
    retrieve: Retrieve, embedder: LazyEmbedder
) -> None:
    hits = retrieve(ELEKTRICIEN)
    work = number_of(hits, "zorg je dat de stroom")
    fit = number_of(hits, "graag met je handen werkt")
    assert (work, fit) != (1, 2), "the test needs passages cited out of retrieval order"
    reply = (
        f"Goede vraag! Het beroep elektricien past bij je als je graag met je handen werkt [{fit}]. "
        f"Als elektricien zorg je dat de stroom veilig werkt. [{work}] "
        f"Je sluit lampen, schakelaars en stopcontacten aan [{work}].\n\n"
        "Twijfel je nog? Praat erover met je mentor of decaan."
    )
    result = check(reply, hits, ELEKTRICIEN, embedder)
    assert result.ok, result.reasons
    assert result.text == (
        "Goede vraag! Het beroep elektricien past bij je als je graag met je handen werkt [1]. "
        "Als elektricien zorg je dat de stroom veilig werkt. [2] "
        "Je sluit lampen, schakelaars en stopcontacten aan [2].\n\n"
        "Twijfel je nog? Praat erover met je mentor of decaan."
    )
    assert [(c.number, c.chunk_id) for c in result.citations] == [
        (1, hits[fit - 1].chunk.id),
        (2, hits[work - 1].chunk.id),
    ]
    assert result.citations[0].quote == "Het beroep elektricien past bij je als je graag met je handen werkt."
    assert result.citations[1].quote == "Als elektricien zorg je dat de stroom veilig en goed werkt."
    for citation, number in zip(result.citations, (fit, work), strict=True):
        assert citation.quote in hits[number - 1].chunk.text


def test_grouped_markers_are_split_and_renumbered(retrieve: Retrieve, embedder: LazyEmbedder) -> None:
    hits = retrieve(BBL)
    bbl = number_of(hits, "BBL staat voor")
    other = next(
        n for n in range(1, len(hits) + 1) if n != bbl and "1 dag per week" in hits[n - 1].chunk.text
    )
    reply = f"In de BBL ga je ongeveer 1 dag per week naar school [{other}, {bbl}]."
    result = check(reply, hits, BBL, embedder)
    assert result.ok, result.reasons
    assert result.text == "In de BBL ga je ongeveer 1 dag per week naar school [1] [2]."
    assert [c.chunk_id for c in result.citations] == [hits[other - 1].chunk.id, hits[bbl - 1].chunk.id]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("As an electrician you make sure that the power works safely [1]. You install cables [1].", "Dutch"),
        ("asdkjh qwe zxcmnb [1] ### @@@ qwpoeiru lkjasd [2]", "Dutch"),
        ("stroom " * 20 + "[1].", "not Dutch sentences"),
        ("Een elektricien legt elektriciteit aan in huizen en gebouwen.", "no sentence cites"),
        # Without a marker a sentence may not state a fact: no numbers, no two source terms.
        ("Als elektricien zorg je dat de stroom veilig werkt [1]. Je werkt 40 uur per week.", "number"),
        (
            "Als elektricien zorg je dat de stroom veilig werkt [1]. Een elektricien werkt niet met stroom.",
            "uncited",
        ),
        (
            "Als elektricien zorg je dat de stroom veilig werkt [1]. Je verdient daar veel geld mee.",
            "no passage",
        ),
    ],
)
def test_reply_that_is_not_grounded_is_rejected(
    retrieve: Retrieve, embedder: LazyEmbedder, reply: str, reason: str
) -> None:
    hits = retrieve(ELEKTRICIEN)
    assert "zorg je dat de stroom" in hits[0].chunk.text, "the cited sentences above quote passage 1"
    result = check(reply, hits, ELEKTRICIEN, embedder)
    assert not result.ok
    assert any(reason in r for r in result.reasons), result.reasons


def test_conversational_sentences_without_markers_are_allowed(
    retrieve: Retrieve, embedder: LazyEmbedder
) -> None:
    hits = retrieve(ELEKTRICIEN)
    work = number_of(hits, "zorg je dat de stroom")
    reply = (
        f"Hoi! Goede vraag. Als elektricien zorg je dat de stroom veilig werkt [{work}]. "
        "Lijkt het je leuk? Praat er dan over met je mentor of decaan. Succes met kiezen!"
    )
    result = check(reply, hits, ELEKTRICIEN, embedder)
    assert result.ok, result.reasons


def test_citations_are_numbered_in_the_order_the_reader_meets_them() -> None:
    def cited(number: int) -> Citation:
        return Citation(number=number, chunk_id=f"c{number}", doc_id=f"d{number}", title="t", quote="q")

    text = "Eerst. [1]\n\nEen uitleg. [3]\n\nDan dit. [2] En weer. [1, 3]"
    shown, citations = in_reading_order(text, [cited(1), cited(2), cited(3)])
    assert shown == "Eerst. [1]\n\nEen uitleg. [2]\n\nDan dit. [3] En weer. [1] [2]"
    assert [(c.number, c.chunk_id) for c in citations] == [(1, "c1"), (2, "c3"), (3, "c2")]
