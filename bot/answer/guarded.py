"""Answers for messages a guardrail caught: care with quoted help information, or a calm refusal.

Care answers quote the help documents (so phone numbers and services come from a checked source) and give
no route advice. Refusals say what Koers will and will not do; where the corpus explains why (exam papers
are secret until the exam period is over; tuning a scooter is forbidden), one quoted, cited sentence says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.answer.compose import Citations
from bot.core.schemas import Answer, Chunk, RetrievedChunk
from bot.core.text import fold, leans_on_before, sentences
from bot.understand.guard import Policy

CARE_LEADS = {
    "self_harm": (
        "Wat fijn dat je dit vertelt. Het klinkt alsof het nu heel zwaar is. "
        "Je hoeft dit niet alleen te dragen. "
        "Praat erover met een volwassene die je vertrouwt, zoals je mentor of een ouder."
    ),
    "abuse": (
        "Wat erg dat dit gebeurt. Het is niet jouw schuld, en je verhaal telt. "
        "Vertel het aan een volwassene die je vertrouwt, zoals je mentor of de vertrouwenspersoon op school."
    ),
    "down": (
        "Wat goed dat je dit vertelt. Het klinkt alsof je je al een tijd niet goed voelt. "
        "Dat is zwaar, en je hoeft het niet alleen te dragen. "
        "Praat erover met iemand die je vertrouwt, zoals je mentor, een ouder of een andere volwassene."
    ),
    "bullying": (
        "Wat naar dat je gepest wordt. Het ligt niet aan jou. "
        "Vertel het aan je mentor of aan de vertrouwenspersoon op school. Zij kunnen iets doen."
    ),
}
# A mentor or a parent who writes about a student's distress ("ik ben mentor, een leerling vertelt dat ze
# gepest wordt") is not the one in distress: "Wat naar dat je gepest wordt." spoke to the wrong person. The
# same help, for them to pass on; ``{who}`` is "de leerling" for a mentor, "je kind" for a parent.
CARE_LEADS_ABOUT = {
    "self_harm": (
        "Neem dit altijd serieus. Blijf in gesprek met {who}, en laat {who} er niet alleen mee. "
        "Betrek ook de hulp op school, zoals de vertrouwenspersoon. Deze hulp kun je samen bellen of noemen:"
    ),
    "abuse": (
        "Neem dit serieus. Het is nooit de schuld van {who}. "
        "Bespreek het met de vertrouwenspersoon op school. Deze hulp kun je noemen:"
    ),
    "down": (
        "Neem het serieus en blijf in gesprek met {who}. Laat merken dat er hulp is. Deze hulp kun je noemen:"
    ),
    "bullying": (
        "Goed dat je hier iets mee doet. Neem het verhaal van {who} serieus, "
        "en bespreek het met de vertrouwenspersoon op school. Deze hulp kun je noemen:"
    ),
}
CARE_FIRST_LEAD_ABOUT = (
    "Ik lees in je bericht misschien dat het niet goed gaat met {who}. Neem het serieus en blijf erover in "
    "gesprek. Deze hulp kun je noemen:"
)
# The helpers each care answer names, in this order, each with a sentence quoted from the help documents.
CARE_HELPERS = {
    "self_harm": ("113 zelfmoordpreventie", "0800-0113", "kindertelefoon"),
    "abuse": ("112", "kindertelefoon", "vertrouwenspersoon"),
    "bullying": ("vertrouwenspersoon", "kindertelefoon"),
    "down": ("mentor", "kindertelefoon", "vertrouwenspersoon"),
}
# When distress is likely but not certain: ask rather than assume, name the help, then still answer.
CARE_FIRST_LEAD = (
    "Ik lees in je bericht misschien dat het niet zo goed met je gaat. Klopt dat? "
    "Dan hoef je dat niet alleen te dragen. Praat erover met een volwassene die je vertrouwt."
)
# The turn after distress that does not clearly move on ("nee echt niet. alles gaat fout"): stay with it.
CARE_CONTINUED_LEAD = (
    "Ik hoor je. Het klinkt alsof het echt zwaar is. Je hoeft dit niet alleen te dragen. "
    "Praat erover met een volwassene die je vertrouwt, zoals je mentor of een ouder. Ik ben er ook nog."
)
CARE_FIRST_BRIDGE = "Je vroeg ook iets over school of werk. Daar gaat de rest van dit antwoord over."
REFUSALS = {
    "fraud": "Daar help ik niet mee. Examens, cijfers en briefjes moeten eerlijk zijn, voor iedereen. "
    "Zit je ergens mee, of heb je iets gezien? Praat erover met je mentor.",
    "danger": "Daar help ik niet mee, want het is gevaarlijk of het mag niet. "
    "Ik help je graag met vragen over techniek-opleidingen en beroepen.",
    "injection": "Dat doe ik niet. Ik houd me aan mijn eigen regels en ik deel geen instructies of gegevens. "
    "Ik help je graag met vragen over het vmbo, het mbo en beroepen.",
    "others_data": "Ik heb geen persoonlijke gegevens van mensen, zoals adressen of telefoonnummers. "
    "Ik zoek ze ook niet op. Wil je iemand van school spreken? Vraag het op school of aan je mentor.",
    "off_topic": "Daar kan ik je niet mee helpen. Ik help bij vragen over school, opleidingen en beroepen. "
    "Wil je daar iets over weten?",
    "shared_data": "Ik gebruik geen namen, adressen of telefoonnummers van leerlingen, "
    "en ik geef geen advies per genoemde leerling. Haal die gegevens liever weg. "
    "Ik help je graag met algemeen advies of een lesopzet over profielkeuze.",
    "insult": "Ik snap dat het soms frustrerend is. Ik help je graag verder. "
    "Waar wil je meer over weten: een profiel, een opleiding of een beroep?",
}
# A refusal that can be explained from the corpus: one question per reason, each answered by one quoted
# sentence (tuning a scooter is both against the law and dangerous; a student should hear both).
REFUSAL_REASONS: dict[str, tuple[str, ...]] = {
    "fraud": ("Waarom zijn examenopgaven en antwoorden geheim?",),
    "danger": (
        "Waarom is het verboden om een scooter op te voeren?",
        "Waarom is het gevaarlijk om een scooter op te voeren?",
    ),
}
PRIVACY_NOTE = (
    "Let op: deel liever geen persoonsgegevens van jezelf of van anderen, zoals namen, adressen of "
    "telefoonnummers. "
    "Ik heb ze niet gebruikt en niet bewaard."
)
CONTACT_NOTE = "Ik kan niet bellen en geen berichten sturen."
FOLLOW_UPS = ["Welk profiel past bij wat ik leuk vind?", "Wat is het verschil tussen BOL en BBL?"]
MAX_HELP_SENTENCES = 4


def _quotable(text: str) -> list[str]:
    """The sentences of ``text``, where a sentence that answers the question just before it ("Is er direct
    gevaar? Bel dan 112.") keeps that question, so the quote makes sense on its own."""
    quotes: list[str] = []
    previous = ""
    for sentence in sentences(text):
        joined = f"{previous} {sentence}"
        quotes.append(joined if previous.endswith("?") and joined in text else sentence)
        previous = sentence
    return quotes


def care_answer(
    policy: Policy,
    hits: Sequence[RetrievedChunk],
    *,
    lead: str = "",
    about: str = "",
    relevance: Callable[[Sequence[str]], Sequence[float]] | None = None,
) -> Answer:
    """Care for ``policy``: ``lead`` (by default the policy's own), then a quoted sentence for each of its
    helpers. ``about`` is who a mentor or a parent writes about ("de leerling", "je kind"): then the lead
    speaks to them (see :data:`CARE_LEADS_ABOUT`). Of the sentences that name a helper, one that gives a
    number to call comes first, then the one closest to the message (``relevance``; without it, the first
    in the passages' order)."""
    if about and not lead:
        lead = CARE_LEADS_ABOUT[policy.name].format(who=about)
    chosen: list[tuple[int, str]] = []
    for helper in CARE_HELPERS[policy.name]:
        options = [
            (i, s) for i, hit in enumerate(hits) for s in _quotable(hit.chunk.text) if helper in fold(s)
        ]
        # A sentence that stands alone: "Vaak is dat de vertrouwenspersoon." named the helper, and said
        # nothing without the sentence before it.
        options = [o for o in options if not leans_on_before(o[1])] or options
        options = [o for o in options if re.search(r"\d{4}", o[1])] or options  # a number to call
        if not options:
            continue
        # "Je mentor en je decaan helpen je bij het kiezen." named the mentor for a student who feels low
        # for months; "Je mentor kent je en is vaak de eerste bij wie je terechtkunt." is about them.
        fit = list(relevance([s for _, s in options])) if relevance is not None else [0.0] * len(options)
        found = options[max(range(len(options)), key=lambda k: (fit[k], -k))]
        if found not in chosen and len(chosen) < MAX_HELP_SENTENCES:
            chosen.append(found)
    citations = Citations()
    parts = [citations.quoted(hits[index].chunk, sentence) for index, sentence in chosen]
    text = "\n\n".join(p for p in (lead or CARE_LEADS[policy.name], " ".join(parts)) if p)
    return Answer(text=text, citations=citations.items, routes=[], follow_up_questions=[], policy=policy.name)


def care_first(care: Answer, answer: Answer) -> Answer:
    """``care`` (a care answer) followed by ``answer``, whose citation numbers move up after care's, without
    follow-up buttons."""
    offset = len(care.citations)
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", answer.text)
    moved = [c.model_copy(update={"number": c.number + offset}) for c in answer.citations]
    return answer.model_copy(
        update={
            "text": f"{care.text}\n\n{CARE_FIRST_BRIDGE}\n\n{text}",
            "citations": care.citations + moved,
            "policy": care.policy,
            "policy_certain": False,
            "follow_up_questions": [],  # no route buttons while a student may be in distress
        }
    )


def refusal_answer(policy: Policy, reasons: Sequence[tuple[Chunk, str]] = ()) -> Answer:
    """The refusal for ``policy``, then its reasons (a chunk and one of its sentences each), if it has any."""
    if not reasons:
        return Answer(text=REFUSALS[policy.name], follow_up_questions=FOLLOW_UPS, policy=policy.name)
    citations = Citations()
    parts = [citations.quoted(chunk, sentence) for chunk, sentence in reasons]
    return Answer(
        text=f"{REFUSALS[policy.name]}\n\n{' '.join(parts)}",
        citations=citations.items,
        follow_up_questions=FOLLOW_UPS,
        policy=policy.name,
    )


def with_privacy_note(answer: Answer, *, contact_requested: bool) -> Answer:
    note = f"{CONTACT_NOTE} {PRIVACY_NOTE}" if contact_requested else PRIVACY_NOTE
    return answer.model_copy(update={"text": f"{note}\n\n{answer.text}", "policy": "personal_data"})
