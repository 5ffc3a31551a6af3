"""Retrieval and sentence selection over the real store and model: BM25 mixing, near-duplicates."""

from __future__ import annotations

from dataclasses import replace

from bot.lexical import LexicalIndex
from bot.schemas import Chunk
from bot.service import ChatService


def _chunk(chunk_id: str, text: str) -> Chunk:
    return Chunk(id=chunk_id, doc_id=chunk_id, title="", text=text)


def test_bm25_scores_the_students_exact_words_with_dutch_stemming() -> None:
    chunks = [
        _chunk("a", "Je leert bouwrijp en woonrijp maken."),
        _chunk("b", "Je leert de techniek van het lassen."),
    ]
    index = LexicalIndex(chunks)
    assert index.scores("wat is woonrijp maken?") == {"a": 1.0}
    assert index.scores("welke technieken zijn er")["b"] == 1.0, "inflected forms share a stem"
    assert index.scores("de het een") == {}, "stopwords alone match nothing"
    assert LexicalIndex([]).scores("lassen") == {}
    assert index.top("wat is woonrijp maken?", 5) == ["a"], "the bm25 baseline ranks with the same index"


def test_bm25_mixing_ranks_passages_with_the_rare_word_first(service: ChatService) -> None:
    question = "wat is woonrijp maken"

    def with_word(weight: float) -> list[bool]:
        retriever = replace(service.retriever, bm25_weight=weight)
        return ["woonrijp" in h.chunk.text.lower() for h in retriever.retrieve(question)][:3]

    assert with_word(0.5)[0], "the passage that names the word leads once BM25 counts"
    assert sum(with_word(0.5)) > sum(with_word(0.0))


def test_the_selector_quotes_one_of_two_sentences_that_say_the_same(service: ChatService) -> None:
    same = [
        "Met een GL- of TL-diploma kun je naar mbo niveau 3 of 4.",
        "Met een KB-, GL- of TL-diploma mag je naar mbo niveau 3 of 4.",
        "TL heeft vier sectoren, waaronder Techniek.",
    ]
    chosen = service.selector.select("Naar welk mbo-niveau kan ik met TL?", same, [0.0] * 3, 3)
    assert len(chosen) == 2 and 2 in chosen, "the second way of saying it adds nothing"
    # Similar wording (cosine 0.975), different numbers: two facts.
    steps = [
        "Met een diploma op niveau 2 mag je naar niveau 3.",
        "Met een diploma op niveau 3 mag je naar niveau 4.",
    ]
    assert len(service.selector.select("Hoe kan ik hoger komen?", steps, [0.0] * 2, 2)) == 2
