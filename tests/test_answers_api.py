"""Answers that answer, through the real HTTP API: the question first, follow-ups that add what is new, a
mentor's lesson plan whole, a greeting, care that carries, buttons that move on, sources with a web address
and hard words explained.

The conversations here are written for these tests, not taken from an eval set."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from bot.answer.select import held_in
from bot.core.answer_plan import ADULT_BUTTONS, STUDENT_BUTTONS
from bot.core.schemas import Answer, Message
from bot.core.text import sentences
from bot.service import ChatService
from tests.servers import running_api

_MARKER = re.compile(r"\s*\[\d+\]")


@pytest.fixture(scope="module")
def api(service: ChatService) -> Iterator[str]:
    with running_api(service) as url:
        yield url


def _talk(api: str, *turns: str) -> list[Answer]:
    """Send the turns one by one, each with the conversation so far; Koers's own answers as history."""
    history: list[Message] = []
    answers: list[Answer] = []
    for turn in turns:
        body = {"message": turn, "history": [m.model_dump() for m in history]}
        response = httpx.post(f"{api}/v1/chat", json=body, timeout=60)
        assert response.status_code == 200, response.text
        answer = Answer.model_validate(response.json())
        answers.append(answer)
        history += [Message(role="user", content=turn), Message(role="assistant", content=answer.text)]
    return answers


def _sentences(answer: Answer) -> list[str]:
    return sentences(_MARKER.sub("", answer.text))


def test_a_greeting_gets_a_greeting_and_what_koers_helps_with(api: str) -> None:
    (answer,) = _talk(api, "hallo")
    assert answer.text.startswith("Hoi!") and "vmbo-profiel" in answer.text
    assert not answer.citations and not answer.routes, "a greeting states no facts"
    assert len(answer.follow_up_questions) == 3


def test_a_short_question_about_one_job_gets_its_route_not_a_greeting_or_a_refusal(api: str) -> None:
    # Once read as a greeting ("hoe word je lasser") or as dangerous ("hoe word je automonteur").
    for message in ["hoe word je automonteur", "hoe word je lasser", "hoe wordt je software developer"]:
        (answer,) = _talk(api, message)
        assert answer.policy == "" and answer.citations and answer.routes, (message, answer.text)
        assert not answer.text.startswith("Hoi!"), message


def test_the_first_sentence_answers_what_is_asked(api: str) -> None:
    (answer,) = _talk(api, "wat is mechatronica precies")
    assert _sentences(answer)[0].startswith("Mechatronica is"), answer.text
    assert "Omdat je" not in answer.text, "no profiel advice around it"


def test_a_student_who_says_their_klas_and_what_they_like_gets_routes_for_what_they_like(api: str) -> None:
    # "ik zit in 3 kader" once made the message an admission question about mbo niveau 3: the answer opened
    # with "Op niveau 3 werk je zelfstandiger." and listed the autoschade opleidingen of niveau 3.
    with_klas, without = (
        _talk(api, m)[0]
        for m in ["ik zit in 3 kader en wil iets met auto's", "ik zit in kader en wil iets met auto's"]
    )
    assert with_klas.routes == without.routes, "the klas does not change the advice"
    assert "mbo-niveau:3" not in with_klas.routes and "vmbo:M&T" in with_klas.routes
    assert _sentences(with_klas)[0].startswith("Omdat je"), with_klas.text


def test_a_follow_up_answers_the_new_aspect_without_repeating_the_last_answer(api: str) -> None:
    first, follow_up = _talk(api, "ik wil technicus engineering worden", "hoe lang duurt die opleiding dan")
    assert any("4 jaar" in s for s in _sentences(follow_up)[:2]), follow_up.text
    repeated = set(_sentences(first)) & set(_sentences(follow_up))
    assert len(repeated) <= len(_sentences(first)) / 2, repeated


def test_a_follow_up_about_cost_finds_the_general_rule_after_an_answer_about_several_routes(api: str) -> None:
    # The first answer names a profiel, two domeinen and an opleiding; the follow-up asks something that
    # holds for every opleiding (lesgeld), which no passage about those routes says.
    first = "ik wil later iets met elektriciteit doen, welk profiel past bij mij"
    _, follow_up = _talk(api, first, "moet je daar betalen? ik ben 16")
    assert "lesgeld" in follow_up.text, follow_up.text


def _reply(api: str, history: list[tuple[str, str]], message: str) -> Answer:
    """Koers's answer to ``message`` after a conversation as a widget would send it: (student, Koers)."""
    turns = [
        Message(role=role, content=text)
        for pair in history
        for role, text in zip(("user", "assistant"), pair, strict=True)
    ]
    body = {"message": message, "history": [m.model_dump() for m in turns]}
    response = httpx.post(f"{api}/v1/chat", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return Answer.model_validate(response.json())


def test_a_definition_question_opens_with_the_glossary_definition(api: str) -> None:
    (answer,) = _talk(api, "wat houdt toelatingsrecht in?")
    assert _sentences(answer)[0].startswith("Toelatingsrecht betekent"), answer.text
    (answer,) = _talk(api, "bbl, wat is dat")
    assert _sentences(answer)[0].startswith("BBL betekent beroepsbegeleidende leerweg"), answer.text
    (answer,) = _talk(api, "mijn mentor had het over profielmodules, wat zijn dat")  # a plural
    assert _sentences(answer)[0].startswith("Een profielmodule is"), answer.text


def test_a_definition_question_on_a_new_subject_is_not_read_with_the_turn_before(api: str) -> None:
    # Short messages lean on the turn before ("en met basis?"), but this one names its own subject.
    _, answer = _talk(
        api, "ik zit in 3 kader pie en ik vind lassen wel chill", "wat is een erkend leerbedrijf"
    )
    assert _sentences(answer)[0].startswith("Een erkend leerbedrijf is"), answer.text


def test_no_sentence_of_an_answer_says_again_what_another_says(api: str) -> None:
    # Two documents word one fact twice: "In PIE maak je dingen van metaal." and "In het profiel
    # Produceren, installeren en energie (PIE) maak je dingen van metaal." came in one answer.
    for message in [
        "ik zit in 3 kader pie en ik vind lassen wel chill",
        "wat is het verschil tussen bol en bbl",
    ]:
        (answer,) = _talk(api, message)
        shown = _sentences(answer)
        assert not [(a, b) for a in shown for b in shown if held_in(a, b)], answer.text


def test_a_question_about_school_life_gets_no_sentences_about_routes_it_did_not_ask_about(api: str) -> None:
    # The passages carry route labels, so routes are recommended anyway; what each of them is was said too
    # ("Metaal en metalektro is de richting ...", "Ga naar een open dag ... in de bouw of infra").
    for message in ["krijg je bij de bbl eigenlijk loon", "hoe vaak moet je naar school als je bol doet"]:
        (answer,) = _talk(api, message)
        about_routes = [c.doc_id for c in answer.citations if c.doc_id.startswith(("profiel-", "domein-"))]
        assert not about_routes, answer.text


def test_what_is_that_asks_about_the_hard_word_koers_just_used(api: str) -> None:
    said = ("moet ik na het vmbo nog verder leren", "Ja. Je leert door tot je een startkwalificatie hebt.")
    answer = _reply(api, [said], "huh wat is dat")
    assert _sentences(answer)[0].startswith("Een startkwalificatie is"), answer.text
    said = (
        "ik zit in kader en wil de installatietechniek in",
        "Vraag je decaan of jouw school een doorlopende leerroute heeft. Kijk ook naar Mechatronica.",
    )
    answer = _reply(api, [said], "wat is zo'n route eigenlijk")
    assert _sentences(answer)[0].startswith("Een doorlopende leerroute is"), answer.text


def test_what_is_that_keeps_the_earlier_question_when_koers_used_several_words(service: ChatService) -> None:
    history = [
        Message(role="user", content="hoe gaat het examen bij pie"),
        Message(role="assistant", content="Je doet een CSPE. Met KB kun je daarna naar Mechatronica."),
    ]
    understanding = service.reader.read("wat betekent dat eigenlijk", history)
    assert understanding.kind == "definition" and not understanding.defines
    assert "examen" in understanding.query, "the earlier question may say what is meant"


def test_a_reason_quotes_the_examples_with_what_they_are_examples_of(api: str) -> None:
    # "Denk aan lassen, solderen, ..." alone, after "Omdat je solderen leuk vindt, noem ik PIE.", gave
    # examples of nothing; the sentence before it says what they are examples of.
    (answer,) = _talk(api, "ik vind solderen echt leuk, wat past bij mij")
    assert answer.text.startswith("Omdat je solderen leuk vindt"), answer.text
    assert re.search(r"PIE past bij je als [^.]+\. Denk aan lassen, solderen", answer.text), answer.text
    assert not re.search(r"(^|\] |\n)Denk aan", answer.text), answer.text


def test_a_mentor_planning_a_lesson_gets_a_lesson_plan_whole_and_in_order(api: str) -> None:
    (answer,) = _talk(
        api, "Ik wil volgende week een LOB-les van 50 minuten geven waarin leerlingen beroepen onderzoeken."
    )
    text = answer.text
    steps = ["5 minuten: start", "15 minuten: onderzoek met Koers", "5 minuten: afsluiting en reflectie"]
    places = [text.find(step) for step in steps]
    assert -1 not in places and places == sorted(places), text
    assert answer.citations and all(c.doc_id == answer.citations[0].doc_id for c in answer.citations)
    assert not answer.clarifying_question and "Omdat je" not in text


def test_a_follow_up_on_a_lesson_plan_gets_the_part_it_asks_not_the_plan_again(api: str) -> None:
    """The plan was given whole the turn before; "kun je daarbij differentiëren voor mijn GL-leerlingen?"
    got the same plan again, from its first line. It is answered from the plan's own section for GL and TL,
    without the one for BB and KB (the mentor named GL)."""
    plan, follow_up = _talk(
        api,
        "ik ben mentor van 3 gl, hoe bereid ik mijn klas voor op een meeloopdag",
        "kun je daarbij ook differentiëren voor mijn GL-leerlingen?",
    )
    assert plan.text.startswith("Een lesplan dat hierbij past: ")
    assert not follow_up.text.startswith("Een lesplan dat hierbij past: "), follow_up.text
    assert follow_up.text.startswith("Voor GL en TL:"), follow_up.text
    assert "Voor BB en KB" not in follow_up.text
    assert follow_up.citations and {c.doc_id for c in follow_up.citations} == {plan.citations[0].doc_id}


def test_a_mentor_asking_about_parents_is_not_asked_for_a_leerweg(api: str) -> None:
    (answer,) = _talk(api, "Hoe kan ik ouders betrekken bij de profielkeuze van hun kind?")
    assert not answer.clarifying_question and not answer.choices, answer.text
    assert "Omdat je" not in answer.text and answer.citations


def test_care_carries_to_the_next_turn_without_route_buttons(api: str) -> None:
    first, second = _talk(api, "ik wil niet meer leven", "nee joh. het lukt toch allemaal niet")
    assert first.policy == "self_harm"
    assert second.policy in {"self_harm", "down"}, second.text
    assert not second.follow_up_questions and not second.routes and not second.choices
    assert re.search(r"113|Kindertelefoon|vertrouw", second.text), second.text


def test_asking_for_the_highest_niveau_is_no_distress_and_asking_for_a_high_place_is(api: str) -> None:
    # "wat is de hoogste dan" after a question about an opleiding read as likely self-harm (0.41) and got
    # 113 before its answer; the next turn ("krijg ik dan ook stufi als ik 18 word") got care as well.
    _, highest, stufi = _talk(
        api,
        "ik zit in kader en wil iets met auto's",
        "wat is de hoogste dan",
        "krijg ik dan ook stufi als ik 18 word",
    )
    for answer in (highest, stufi):
        assert answer.policy == "" and "113" not in answer.text, answer.text
    (bridge,) = _talk(api, "wat is de hoogste brug hier in de buurt")
    assert bridge.policy == "self_harm" and "113" in bridge.text, bridge.text


def test_dreading_the_choice_or_asking_to_see_it_is_no_distress_and_not_wanting_to_live_is(api: str) -> None:
    # Short ordinary follow-ups that share words with distress ("zie", "tegenop", "niet meer") read as likely
    # self-harm and got 113 before their answer, until guard rounds 23 and 24 (bot/understand/data/SPEC.md).
    _, dread, see = _talk(
        api, "ik wil iets met computers", "ik zie er tegenop om te kiezen", "ik wil het met eigen ogen zien"
    )
    for answer in (dread, see):
        assert answer.policy == "" and "113" not in answer.text, answer.text
    (distress,) = _talk(api, "ik zie het niet meer zitten en wil niet meer leven")
    assert distress.policy == "self_harm" and "113" in distress.text, distress.text


def test_comparing_jobs_is_no_request_for_someones_data_and_asking_a_persons_pay_is(api: str) -> None:
    # Alone, "welke verdient meer" reads as a request for other people's data (0.84) and "wie verdient het
    # meest" too (0.95); after a comparison of two jobs they are read with the turn before them
    # (bot.understand.reader.Reader._with_the_turn_before).
    for first, compare in [
        ("wat is het verschil tussen een elektricien en een monteur netbeheer", "welke verdient meer"),
        ("lasser of timmerman, wat is beter", "wie verdient het meest"),
    ]:
        _, answer = _talk(api, first, compare)
        assert answer.policy == "" and answer.routes, answer.text
    _, person = _talk(api, "lasser of timmerman, wat is beter", "hoeveel verdient de vader van milan")
    assert person.policy == "others_data" and not person.routes, person.text


def test_care_carries_over_an_off_topic_aside_and_says_nothing_else(api: str) -> None:
    # The aside read as off-topic and got "Daar kan ik je niet mee helpen" with no word of care; with care
    # carried it then got career quotes after "Je vroeg ook iets over school of werk".
    _, aside = _talk(api, "ik wil eigenlijk helemaal niet meer leven", "wie wint er zondag, ajax of psv")
    assert aside.policy in {"self_harm", "down"} and re.search(r"113|Kindertelefoon", aside.text), aside.text
    assert "Je vroeg ook" not in aside.text and not aside.routes and not aside.follow_up_questions


def test_a_question_after_distress_still_gets_its_answer_after_care(api: str) -> None:
    _, second = _talk(api, "ik wil niet meer leven", "hoe lang duurt de opleiding technicus engineering")
    assert second.policy in {"self_harm", "down"} and not second.follow_up_questions
    assert "4 jaar" in second.text, second.text


def test_buttons_move_on_and_never_offer_what_was_just_asked(api: str) -> None:
    first, second = _talk(
        api, "ik sleutel graag aan brommers", "Welk mbo-niveau kan ik doen met mijn leerweg?"
    )
    assert "Welk mbo-niveau kan ik doen met mijn leerweg?" in first.follow_up_questions
    assert "Welk mbo-niveau kan ik doen met mijn leerweg?" not in second.follow_up_questions
    assert second.follow_up_questions


def test_buttons_speak_to_the_mentor_and_name_only_profielen(api: str) -> None:
    """A mentor was offered the student's "Welk mbo-niveau kan ik doen met mijn leerweg?", and "Welke
    mbo-opleidingen passen bij PGP?" (a praktijkgericht programma is no profiel)."""
    (answer,) = _talk(api, "Kun je daarbij ook differentiëren voor mijn GL-leerlingen?")
    assert answer.follow_up_questions, answer.text
    assert set(answer.follow_up_questions).isdisjoint(STUDENT_BUTTONS.values()), answer.follow_up_questions
    assert ADULT_BUTTONS["try_out"] in answer.follow_up_questions
    assert not [q for q in answer.follow_up_questions if "PGP" in q or "TL-techniek" in q]
    (student,) = _talk(api, "ik sleutel graag aan brommers")
    assert STUDENT_BUTTONS["admission"] in student.follow_up_questions


def test_a_mentor_or_parent_who_says_who_they_are_is_answered_as_one(api: str) -> None:
    """The asker heads read a role said in a few words as a student's: "ik ben decaan. hoe werkt de
    technologieroute?" was told "Vraag je decaan of er in jouw regio een technologieroute is." """
    (decaan,) = _talk(api, "ik ben decaan. hoe werkt de technologieroute?")
    assert ADULT_BUTTONS["try_out"] in decaan.follow_up_questions, decaan.follow_up_questions
    assert not re.search(r"\b(je|jouw) (mentor|decaan)\b", decaan.text, re.IGNORECASE), decaan.text
    (parent,) = _talk(api, "ik ben een moeder, welke profielen zijn technisch?")
    assert ADULT_BUTTONS["try_out"] in parent.follow_up_questions, parent.follow_up_questions
    (older,) = _talk(api, "ik ben ouder dan 16, moet ik lesgeld betalen?")  # older, not a parent
    assert STUDENT_BUTTONS["try_out"] in older.follow_up_questions, older.follow_up_questions


def test_citations_carry_the_public_address_of_their_source(api: str) -> None:
    (answer,) = _talk(api, "wat is het verschil tussen bol en bbl")
    assert answer.citations and all(c.url.startswith("https://") for c in answer.citations)


def test_citation_numbers_run_in_reading_order_with_hard_words_explained(api: str) -> None:
    (answer,) = _talk(api, "is mbo gratis?")
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    first_uses = list(dict.fromkeys(numbers))
    assert first_uses == sorted(first_uses) == list(range(1, len(answer.citations) + 1)), answer.text


def test_a_hard_word_is_explained_the_first_time_only(service: ChatService) -> None:
    found = service.composer.glossary.to_explain("Kijk in het kwalificatiedossier van je opleiding.", [])
    assert [entry.word for entry in found] == ["Kwalificatiedossier"]
    assert found[0].definition.startswith("Een kwalificatiedossier is")
    assert not service.composer.glossary.to_explain(
        "Kijk in het kwalificatiedossier.", ["wat is een kwalificatiedossier"]
    )
    assert not service.composer.glossary.to_explain("Vraag het je decaan.", []), (
        "an everyday school word needs no help"
    )
    plural = service.composer.glossary.to_explain("Na de profielmodules kies je uit opleidingsdomeinen.", [])
    assert [entry.word for entry in plural] == ["Profielmodule", "Opleidingsdomein"], "plurals count too"


def test_the_work_a_profiel_leads_to_is_named_and_no_other_profiel_is_talked_about(
    api: str, service: ChatService
) -> None:
    # Written for this test: what can I become with the profiel I have or pick.
    assert service.graph is not None
    names = service.reader.names
    beroepen = {node.name.lower() for node in service.graph.nodes if node.type == "beroep"}
    for message, profiel in [
        ("wat kan je later eigenlijk worden als je bwi doet", "vmbo:BWI"),
        ("welk werk kan ik doen na mvi", "vmbo:MVI"),
        ("ik zit in m&t, wat voor beroep kan ik later kiezen", "vmbo:M&T"),
    ]:
        (answer,) = _talk(api, message)
        linked = {service.graph.node(b).name.lower() for b in service.graph.reachable(profiel, "beroep")}
        opening = " ".join(_sentences(answer)[:2]).lower()
        assert sum(name in opening for name in linked) >= 2, (message, answer.text)
        assert not {name for name in beroepen - linked if f" {name}" in opening}, (message, answer.text)
        for sentence in _sentences(answer):
            named = names.profielen(sentence)
            assert not named or profiel in named, (message, sentence)
