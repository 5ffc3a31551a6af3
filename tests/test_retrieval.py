"""Retrieval and sentence selection over the real store and model: BM25 mixing, near-duplicates, and which
sentences the offline composer quotes in which order."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.adapters.bm25 import LexicalIndex
from bot.answer.compose import compose
from bot.core.schemas import Chunk, Message, RetrievedChunk
from bot.core.text import MAX_LIST_ITEMS, plain, sentences
from bot.retrieve.retriever import interleave
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
    # A word few passages name; 'woonrijp' no longer is one since the infra documents of the second edition.
    question = "wat is stagemarkt"

    def with_word(weight: float) -> list[bool]:
        retriever = replace(service.retriever, bm25_weight=weight)
        return ["stagemarkt" in h.chunk.text.lower() for h in retriever.retrieve(question)][:3]

    assert with_word(0.5)[0], "the passage that names the word leads once BM25 counts"
    assert sum(with_word(0.5)) > sum(with_word(0.0))


def test_the_selector_quotes_one_of_two_sentences_that_say_the_same(service: ChatService) -> None:
    same = [
        "Met een GL- of TL-diploma kun je naar mbo niveau 3 of 4.",
        "Met een KB-, GL- of TL-diploma mag je naar mbo niveau 3 of 4.",
        "TL heeft vier sectoren, waaronder Techniek.",
    ]
    chosen = service.composer.selector.select("Naar welk mbo-niveau kan ik met TL?", same, [0.0] * 3, 3)
    assert len(chosen) == 2 and 2 in chosen, "the second way of saying it adds nothing"
    # Similar wording (cosine 0.975), different numbers: two facts.
    steps = [
        "Met een diploma op niveau 2 mag je naar niveau 3.",
        "Met een diploma op niveau 3 mag je naar niveau 4.",
    ]
    assert len(service.composer.selector.select("Hoe kan ik hoger komen?", steps, [0.0] * 2, 2)) == 2
    # The same numbers, once in words and once in digits: one fact.
    spelled = [
        "Medewerker productietechniek duurt meestal één tot twee jaar.",
        "Medewerker productietechniek duurt meestal 1 tot 2 jaar.",
    ]
    assert len(service.composer.selector.select("Hoe lang duurt het?", spelled, [0.0] * 2, 2)) == 1


def _hit(chunk_id: str, text: str, score: float = 0.8) -> RetrievedChunk:
    return RetrievedChunk(chunk=_chunk(chunk_id, text), score=score)


def _quoted(answer_text: str) -> list[str]:
    return re.findall(r"[^.?!\n]+[.?!]", re.sub(r"\s*\[\d+\]", "", answer_text))


def test_an_answer_never_quotes_a_sentence_about_the_document_itself(service: ChatService) -> None:
    hit = _hit(
        "lasser",
        "Een lasser verbindt metalen delen. Hier lees je wat een lasser doet en hoe je lasser wordt. "
        "Je leert lassen in de opleiding Medewerker productietechniek.",
    )
    answer = compose(
        "wat doet een lasser en hoe word je lasser", [hit], service.composer.selector, max_sentences=8
    )
    quoted = [s.strip() for s in _quoted(answer.text)]
    assert "Een lasser verbindt metalen delen." in quoted
    assert not any(s.startswith("Hier lees je") for s in quoted), answer.text


def test_a_sentence_that_leans_on_the_one_before_is_quoted_only_with_it(service: ChatService) -> None:
    leaning = "Dan heb je toelatingsrecht."
    hits = [
        _hit("a", f"Je meldt je op tijd aan. Je hebt het juiste diploma. {leaning}"),
        _hit("b", "Toelatingsrecht betekent dat je de opleiding van je keuze mag doen."),
    ]
    question = "wat is toelatingsrecht"
    alone = compose(question, hits, service.composer.selector, max_sentences=2)
    assert leaning not in alone.text, "without 'Je hebt het juiste diploma.' it says nothing"
    together = compose(question, hits, service.composer.selector, max_sentences=8)
    assert re.search(rf"Je hebt het juiste diploma\.(?: \[\d\])? {leaning}", together.text), together.text
    inside = "De opleiding Technicus engineering hoort daarbij."
    hit = _hit("c", f"Engineering is een richting in het mbo. {inside}")
    answer = compose(
        "welke opleiding hoort bij engineering", [hit], service.composer.selector, max_sentences=1
    )
    assert inside not in answer.text and "Engineering is een richting" in answer.text


def test_a_section_written_for_mentors_or_parents_is_not_quoted_to_a_student(service: ChatService) -> None:
    def section(heading: str, text: str) -> RetrievedChunk:
        chunk = Chunk(id=heading, doc_id="techniek", title="Techniek", heading=heading, text=text)
        return RetrievedChunk(chunk=chunk, score=0.8)

    for_mentors = "Neem de twijfel van de leerling serieus."
    for_parents = "Geef je kind vertrouwen bij de keuze voor techniek."
    hits = [
        section("Voor mentoren: zo praat je met ouders", for_mentors),
        section("Voor ouders: wat je kunt doen", for_parents),
        section("Meisjes kiezen minder vaak techniek", "Techniek is voor iedereen, ook als je twijfelt."),
    ]
    question = "ik twijfel of techniek wel iets voor mij is"
    selector = service.composer.selector
    student = compose(question, hits, selector, max_sentences=8)
    assert "Techniek is voor iedereen" in student.text
    assert for_mentors not in student.text and for_parents not in student.text, student.text
    mentor = compose(question, hits, selector, max_sentences=8, asker="mentor")
    assert for_mentors in mentor.text and for_parents in mentor.text, mentor.text
    parent = compose(question, hits, selector, max_sentences=8, asker="parent")
    assert for_parents in parent.text and for_mentors not in parent.text, parent.text


def test_a_document_titled_for_one_reader_marks_its_lead_too() -> None:
    lead = Chunk(id="lead", doc_id="ouders", title="Voor ouders: zo help je", heading="", text="Kies samen.")
    assert lead.written_for == "parent"
    section = lead.model_copy(update={"heading": "Voor leerlingen: wat jij kunt doen"})
    assert section.written_for == "student"
    assert lead.model_copy(update={"title": "Techniek"}).written_for is None


def test_the_passage_that_answers_the_question_best_is_read_first(service: ChatService) -> None:
    hits = [
        _hit("rules", "Je meldt je aan voor 1 april. Je doet mee aan de intake.", score=0.9),
        _hit("meaning", "Toelatingsrecht betekent dat je de opleiding van je keuze mag doen.", score=0.8),
    ]
    answer = compose("wat betekent toelatingsrecht", hits, service.composer.selector, max_sentences=8)
    assert answer.text.startswith("Toelatingsrecht betekent"), answer.text
    assert "Je meldt je aan voor 1 april. Je doet mee aan de intake. [2]" in answer.text, "one marker per run"


def test_an_answer_does_not_open_with_what_koers_is_not_sure_of(service: ChatService) -> None:
    """ "Welke vakken precies bij Techniek horen, weet Koers niet zeker." opened an answer; it is said after
    what is known."""
    unsure = "Welke vakken precies bij techniek horen, weet Koers niet zeker."
    hits = [
        _hit("unsure", unsure, score=0.9),
        _hit("known", "Vijf profielen zijn technisch: BWI, PIE, M&T, MaT en MVI.", score=0.8),
    ]
    answer = compose("welke vakken horen bij techniek", hits, service.composer.selector, max_sentences=8)
    assert unsure in answer.text and not answer.text.startswith(unsure), answer.text


def test_a_short_list_is_quoted_with_its_lead_in_as_a_list_and_cited_as_written(
    service: ChatService,
) -> None:
    lead_in = "In het mbo zijn er deze opleidingen:"
    item = "monteur laagspanningsdistributie of middenspanningsdistributie (niveau 2);"
    text = f"Een monteur legt kabels aan. {lead_in}\n\n- {item}\n- eerste monteur (niveau 3)."
    question = "welke opleiding op niveau 2 is er voor netbeheer"
    answer = compose(question, [_hit("netbeheer", text)], service.composer.selector, max_sentences=8)
    shown = (
        f"{lead_in}\n- Monteur laagspanningsdistributie of middenspanningsdistributie (niveau 2)\n"
        "- Eerste monteur (niveau 3). [1]"
    )
    assert shown in answer.text, answer.text
    assert answer.text.startswith(lead_in) or f"]\n\n{lead_in}" in answer.text, "a list starts a paragraph"
    assert "[1]\n\n" in answer.text, "and what follows it starts another"
    assert all(citation.quote in text for citation in answer.citations)


def test_an_item_of_a_long_list_reads_as_a_sentence_and_is_cited_as_written(service: ChatService) -> None:
    item = "monteur laagspanningsdistributie of middenspanningsdistributie (niveau 2);"
    others = "".join(f"- opleiding nummer {n} (niveau 3)\n" for n in range(MAX_LIST_ITEMS))
    hit = _hit("netbeheer", f"In het mbo zijn er deze opleidingen:\n\n- {item}\n{others}")
    question = "welke opleiding op niveau 2 is er voor netbeheer"
    answer = compose(question, [hit], service.composer.selector, max_sentences=8)
    shown = "Monteur laagspanningsdistributie of middenspanningsdistributie (niveau 2)."
    assert shown in answer.text, answer.text
    assert all(citation.quote in hit.chunk.text for citation in answer.citations)


def test_a_line_broken_off_mid_sentence_is_one_sentence_and_lists_stay_apart() -> None:
    pdf_text = (
        "Op het college duurt het twee jaar. Je leert TIG-lassen in onze\nwerkplaats.\n\n"
        "## Kiezen\nKies:\n- lassen\n- solderen"
    )
    assert sentences(pdf_text) == [
        "Op het college duurt het twee jaar.",
        "Je leert TIG-lassen in onze\nwerkplaats.",
        "Kies:",
        "lassen",
        "solderen",
    ]
    assert all(s in pdf_text for s in sentences(pdf_text)), "each is quoted exactly as written"
    assert plain("Je leert TIG-lassen in onze\nwerkplaats.") == "Je leert TIG-lassen in onze werkplaats."


def test_interleaving_two_searches_takes_them_in_turn_and_each_passage_once() -> None:
    usual = [_hit("a", "A."), _hit("b", "B."), _hit("c", "C.")]
    aspect = [_hit("x", "X."), _hit("a", "A."), _hit("y", "Y.")]
    assert [h.chunk.id for h in interleave(usual, aspect)] == ["a", "x", "b"]
    assert [h.chunk.id for h in interleave([], aspect)] == ["x", "a", "y"]


def test_a_follow_up_about_a_new_aspect_is_also_searched_on_its_own(service: ChatService) -> None:
    history = [
        Message(role="user", content="ik wil na de zomer elektrotechniek gaan doen op het mbo"),
        Message(role="assistant", content="Op het mbo kun je elektrotechniek doen, via BOL of BBL."),
    ]
    question = "moet ik daar geld voor betalen? ik ben 16"
    understanding = service.reader.read(question, history)
    assert understanding.follows_up and understanding.kind == "cost"
    assert understanding.aspect_query == question, "the message alone: the subject would drown the question"
    found = {h.chunk.id for h in service.respond(question, history).hits}
    aspect = service.retriever.retrieve(understanding.aspect_query)
    usual = service.retriever.retrieve(understanding.query)
    assert aspect[0].chunk.id in found, "the aspect's best passage is among those the answer is made from"
    assert usual[0].chunk.id in found, "and so is the usual search's best passage"
    alone = service.reader.read(question)
    assert alone.aspect_query == "", "a first message is searched once"


def test_with_nothing_to_quote_a_mentor_is_pointed_to_the_decaan_not_to_their_mentor(
    service: ChatService,
) -> None:
    selector = service.composer.selector
    student = compose("hoe laat begint de les", [], selector, max_sentences=4)
    mentor = compose("hoe laat begint de les", [], selector, max_sentences=4, asker="mentor")
    assert "Vraag het aan je mentor of decaan" in student.text
    assert "mentor" not in mentor.text and "decaan" in mentor.text
