"""The one sentence splitter: passages, LLM replies and long paragraphs are cut the same way."""

from __future__ import annotations

from bot.core.text import (
    ABOUT_THE_TEXT,
    MAX_LIST_ITEMS,
    SIGNPOST,
    condition_answer,
    leans_on_before,
    plain,
    quote_units,
    sentences,
    split_sentences,
)


def test_a_dutch_abbreviation_ends_no_sentence() -> None:
    text = "Je leert bijv. Lassen en o.a. Solderen. Daarna ga je op stage. Dat duurt ca. 20 weken!"
    assert split_sentences(text) == [
        "Je leert bijv. Lassen en o.a. Solderen.",
        "Daarna ga je op stage.",
        "Dat duurt ca. 20 weken!",
    ]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence() -> None:
    assert split_sentences("Niveau 2 duurt 2 jaar. bij BBL soms langer.") == [
        "Niveau 2 duurt 2 jaar. bij BBL soms langer."
    ]


def test_a_citation_marker_after_a_sentence_starts_a_new_part() -> None:
    assert split_sentences("BBL betekent werken en leren. [2] Je krijgt loon.") == [
        "BBL betekent werken en leren.",
        "[2] Je krijgt loon.",
    ]


def test_passage_sentences_use_the_same_splitter_per_line() -> None:
    passage = "# Lassen\n\nJe werkt bijv. Met staal. Het is zwaar werk.\n- Een lijstje zonder punt"
    expected = ["Je werkt bijv. Met staal.", "Het is zwaar werk.", "Een lijstje zonder punt"]
    assert sentences(passage) == expected


LADDER = (
    "Wil je monteur worden? In het mbo kies je koude- en klimaatsystemen. Daar kun je hoger komen:\n\n"
    "- Monteur koude- en klimaatsystemen (niveau 2)\n"
    "- Eerste monteur koude- en klimaatsystemen (niveau 3)\n\n"
    "Vraag de school welke niveaus zij geeft."
)


def test_a_short_list_is_quoted_with_the_sentence_that_leads_into_it() -> None:
    units = quote_units(LADDER)
    assert units == [
        "Wil je monteur worden?",
        "In het mbo kies je koude- en klimaatsystemen.",
        "Daar kun je hoger komen:\n\n- Monteur koude- en klimaatsystemen (niveau 2)\n"
        "- Eerste monteur koude- en klimaatsystemen (niveau 3)",
        "Vraag de school welke niveaus zij geeft.",
    ]
    assert all(unit in LADDER for unit in units)  # a citation quotes the passage exactly


def test_a_long_list_and_a_list_without_lead_in_are_quoted_item_by_item() -> None:
    items = "".join(f"- Keuzevak nummer {n}\n" for n in range(MAX_LIST_ITEMS + 1))
    assert quote_units(f"Je kiest uit:\n{items}")[1:] == [f"Keuzevak nummer {n}" for n in range(7)]
    without_lead_in = quote_units("Een zin.\n- los item een\n- los item twee")
    assert without_lead_in == ["Een zin.", "los item een", "los item twee"]


def test_a_quoted_list_is_shown_as_a_markdown_list() -> None:
    shown = plain("Je kunt kiezen uit:\n\n- **Lassen** (niveau 2);\n- verspanen")
    assert shown == "Je kunt kiezen uit:\n- Lassen (niveau 2)\n- Verspanen"
    assert plain("een mbo-diploma op\nniveau 2 of 3;") == "Een mbo-diploma op niveau 2 of 3."
    assert plain("") == "."


def test_a_condition_question_and_its_answer_are_one_quote_unit() -> None:
    text = "Ben je jonger dan 18? Dan betaal je geen lesgeld. Wat kost het? Dat verschilt per school."
    units = quote_units(text)
    condition = "Ben je jonger dan 18? Dan betaal je geen lesgeld."
    assert units == [condition, "Wat kost het?", "Dat verschilt per school."]
    assert all(unit in text for unit in units)
    assert condition_answer(condition) == "Dan betaal je geen lesgeld.", "compared by its answer"
    assert condition_answer(units[2]) == units[2]


def test_a_sentence_that_points_back_leans_on_the_one_before() -> None:
    leaning = [
        "Daarna kun je verder met Allround timmerman (niveau 3).",
        "De opleiding duurt meestal 1 tot 2 jaar.",  # which one?
        "Je kunt dan naar niveau 3 of niveau 4.",  # after what?
        "De scooter moet dan opnieuw gekeurd worden bij de RDW.",
        "Vraag daar hoe je aan een BBL-plek komt.",  # where?
        "In plaats daarvan volg je ongeveer 4 uur per week een beroepsgericht vak.",  # instead of what?
        "Je kunt erheen na Allround mediamaker (niveau 3).",  # to what?
        "Of je legt leidingen voor een warmtenet.",  # or, besides what?
        "Met deze diploma's mag je ook naar niveau 2.",  # which diplomas?
        "Niveau 2 kan ook.",  # can what?
        "Bijvoorbeeld van economie in het vmbo naar techniek in het mbo?",  # an example of what?
        "Je werkt dan vier dagen en gaat één dag naar school.",  # when?
        "Vaak ga je zelf op zoek naar zo'n baan.",  # such a job as what?
        "Daarmee heb je ook een startkwalificatie.",  # with what?
        "Hierin leer je lassen en solderen.",  # in what?
        "Het ging onder meer om elektriciens en monteurs.",  # what did?
        "In een beroepentest past dit bij het type onderzoekend.",  # what does?
        "Voor personenauto's is dat Technisch specialist personenauto's (niveau 4).",  # is what?
        "Denk aan een airco, een koelcel of een warmtepomp.",  # examples of what?
        "Lukt dat niet? Dan moet je het later misschien terugbetalen.",  # what does not?
        "Vaak is dat de vertrouwenspersoon.",  # who is?
        "Vraag ook hoe je aan een BBL-baan komt.",  # as well as what?
        "In GL kies je er minstens twee.",  # two of what?
        "In het derde kwartaal van 2020 stonden er 56.",  # 56 what?
    ]
    alone = [
        "De opleiding Monteur werktuigkundige installaties kun je volgen via BOL of BBL.",
        "Een opleiding op niveau 2 duurt meestal 1 tot 2 jaar.",
        "Een scooter mag niet harder dan 45 kilometer per uur.",
        "Opvoeren betekent: je verandert een scooter zo dat hij harder kan dan mag.",
        "In de BBL krijg je geen studiefinanciering, want daar krijg je loon.",
        "Zorg ervoor dat je je op tijd aanmeldt.",
        "Of je nu een jongen of een meisje bent, techniek is voor iedereen.",
        "Kies deze week één ding om uit te zoeken.",  # a time, not something named before
        "Je werkt op niveau 3 zelfstandiger dan op niveau 2.",  # a comparison
        "Techniek Nederland sprak van een tekort van zo'n 20.000 installateurs.",  # about
        "Voor Technicus engineering heb je een van deze diploma's nodig:",  # points ahead, at a list
        "Met een TL-diploma kun je naar mbo niveau 3 of niveau 4, en ook naar niveau 2.",
        "Het profiel PIE gaat over metaal, elektro en installaties.",  # "het" with its noun
        "BOL betekent dat je vooral op school leert.",  # "dat" starts a clause
        "Het verschil is dat de BBL meer praktijk heeft.",  # so it does after a noun
        "Is het mbo gratis? Dan hoef je niets te betalen.",  # a question with its own subject
        "Denk goed na over wat je leuk vindt.",  # an instruction, not examples
        "Vraag op een open dag of je ook via de BBL kunt leren.",  # "ook" later, about the BBL
        "Daarvoor moet je drie dingen doen:\n- Je meldt je aan.\n- Je doet de intake.",  # its list says it
        "Op het eerste niveau zijn er twee opleidingen.",  # "er" with a number and its noun
        "In 2017 waren er ongeveer 61.000 technische vacatures.",  # a number with a point in it
    ]
    assert [leans_on_before(s) for s in leaning] == [True] * len(leaning)
    assert [leans_on_before(s) for s in alone] == [False] * len(alone)


def test_a_sentence_about_the_document_is_a_signpost() -> None:
    about_the_document = [
        "Hier lees je hoe je lasser wordt.",
        "Je leest ook welke vragen je kunt stellen op een open dag.",
        "Meer hulp vind je in het stuk 'Stress en keuzes'.",
    ]
    about_the_work = [
        "Je leest eerst de tekening van het onderdeel.",
        "Je leest meetwaarden af op een display.",
    ]
    assert all(SIGNPOST.search(s) for s in about_the_document)
    assert not any(SIGNPOST.search(s) for s in about_the_work)


def test_a_sentence_that_points_above_or_below_in_its_document_is_about_the_text() -> None:
    # Quoted in an answer, "hierboven" points at the answer, where the document's list is not.
    pointing = [
        "Alle opleidingen hierboven hoorden bij één kwalificatiedossier: Voertuigen en mobiele werktuigen.",
        "Een school kan daarom een andere naam gebruiken dan hierboven.",
        "De namen hieronder komen uit de landelijke lijst van mbo-opleidingen van 2015.",
    ]
    plain_facts = ["Een monteur werkt vaak boven je hoofd, onder een auto of op een dak."]
    assert all(ABOUT_THE_TEXT.search(s) for s in pointing)
    assert not any(ABOUT_THE_TEXT.search(s) for s in plain_facts)
