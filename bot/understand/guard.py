"""Guardrails: declared policies that screen a message before Koers answers it.

Each policy names what it catches, what Koers does instead of a normal answer, and whether it fails open
(a miss means a normal, still grounded answer) or closed (when in doubt, the safe answer wins). A learned
classifier decides (:mod:`bot.understand.safety`); ``fails`` is what a likely-but-uncertain signal does
there: a closed policy acts on it, an open one does not. The patterns below are a high-precision
backstop over the accent-folded message; they are not to be extended when an eval case fails (train the
classifier instead). Personal data is scrubbed from every message before anything else uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from bot.core.text import fold
from bot.understand.people import PeopleTagger


@dataclass(frozen=True)
class Policy:
    name: str
    catches: str
    response: str
    fails: Literal["open", "closed"]
    patterns: tuple[str, ...]

    def matches(self, folded: str, *, unless_denied: bool = False) -> bool:
        """Whether a pattern matches the folded message. ``unless_denied``: not a match that the message
        denies in the word or two before it ("ik sleutel elke dag aan me scooter (niet opvoeren hoor)")."""
        return any(
            not (unless_denied and _DENIED.search(folded[: found.start()]))
            for pattern in self.patterns
            for found in re.finditer(pattern, folded)
        )


# A denial right before a match: "niet", "geen" or "nooit", at most one word between.
_DENIED = re.compile(r"\b(niet|geen|nooit)\W+(\w+\W+)?$")


SELF_HARM = Policy(
    "self_harm",
    "thoughts of suicide or self-harm",
    "caring words, then 113 Zelfmoordpreventie, de Kindertelefoon and a trusted adult, quoted from the help "
    "documents; no route advice",
    "closed",
    (
        r"niet meer (willen |wil |hoeven |hoef )?leven",
        r"\b(wil|wilde|willen) (ik )?dood\b",
        r"dood (wil|willen|gaan)",
        r"zelfmoord",
        r"zelfdoding",
        r"suicid",
        r"\b(snij|snijd|kras)\w* (ik |je )?(mezelf|mijzelf|me|mij)\b",
        r"mezelf (pijn doen|iets aandoen|snijden|beschadigen)",
        r"er niet meer (wil )?(zijn|wil zijn)",
        r"niet meer (wil|willen) zijn",
        r"alles is zinloos",
        r"zie het niet meer zitten",
        r"einde aan (mijn|m'n) leven",
    ),
)
ABUSE = Policy(
    "abuse",
    "violence or abuse at home or elsewhere",
    "taken seriously: tell a trusted adult, de Kindertelefoon, 112 in danger; quoted from the help documents",
    "closed",
    (
        r"\b(slaat|schopt|mishandelt|bedreigt) (me|mij)\b",
        r"\bmisbruik",
        r"aangerand",
        r"verkracht",
        r"bang (om )?(naar )?huis",
        r"thuis (is het )?niet veilig",
        r"\bsla(an)? (me|mij)\b",
    ),
)
DOWN = Policy(
    "down",
    "feeling down, empty, lonely or hopeless for a long time, without thoughts of death (learned only)",
    "caring words, then a trusted adult, the mentor and de Kindertelefoon, quoted from the help documents; "
    "not 113 first (113 asks bots not to send people without suicidal thoughts there)",
    "closed",
    (),  # decided by the classifier alone: sadness has no phrase a list could hold
)
BULLYING = Policy(
    "bullying",
    "being bullied, online or at school",
    "not your fault: mentor, vertrouwenspersoon, de Kindertelefoon; quoted from the help documents",
    "closed",
    (r"\bgepest\b", r"pesten (me|mij)\b", r"\bpest(en)? me\b", r"uitgescholden", r"buitengesloten"),
)
FRAUD = Policy(
    "fraud",
    "exam fraud, forged notes, breaking into school systems",
    "a refusal, and a pointer to the mentor",
    "closed",
    (
        r"antwoorden (van|voor) (het |de |mijn )?(cspe|cse|ce|examen|toets|se|pta)",
        r"(cspe|cse|examen|toets)\w*.{0,30}(stelen|bemachtig|uitgelekt|lekken|foto)",
        r"foto'?s van (het |de )?(cspe|cse|examen|toets)",
        r"\bspieken\b",
        r"cijfers? (\w+ ){0,3}(aanpassen|veranderen)",
        r"inlog\w* (met|op) (het |zijn |haar |andermans |het account)",
        r"andermans account",
        r"(nep|vals)\w* (dokters)?briefje",
        r"(briefje|handtekening) vervals",
    ),
)
DANGER = Policy(
    "danger",
    "dangerous or illegal instructions (weapons, tuning a scooter)",
    "a refusal without any instruction",
    "closed",
    (
        r"opvoeren",
        r"\bvoer\w* .{0,30}(scooter|brommer|motor)\w* op\b",
        r"sneller dan 45",
        r"\b(bom|explosie\w*|wapen|vuurwerkbom)\b.{0,20}\bmaken\b",
        r"maak ik een (bom|wapen)",
    ),
)
INJECTION = Policy(
    "injection",
    "attempts to change Koers's rules or reveal its instructions or configuration",
    "a short refusal; the instruction is never followed and nothing internal is shown",
    "closed",
    (
        r"negeer (al |alle )?(je |jouw |de |mijn )?(vorige |eerdere )?(instructies|regels|opdracht)",
        r"ignore (all |any |previous |prior |your )+(instructions|rules)",
        r"systeem ?prompt",
        r"system ?prompt",
        r"\[(systeem|system|admin|beheerder)\]",
        r"vanaf nu ben je",
        r"je bent nu (een |de )?\w+ (zonder|die)",
        r"geen regels",
        r"jailbreak",
        r"developer mode",
        r"(laat|toon) (alle |de )?(opgeslagen )?gesprekken",
    ),
)
OTHERS_DATA = Policy(
    "others_data",
    "requests for someone else's personal data",
    "Koers has and seeks no personal data; contact goes through the school",
    "closed",
    (r"(adres|telefoonnummer|nummer|e-?mail\w*|mail) van (mijn|de|die|onze|m'n)", r"waar woont"),
)
OFF_TOPIC = Policy(
    "off_topic",
    "homework, politics, sport predictions and other questions outside school and career choice",
    "a friendly redirect to what Koers helps with",
    "open",
    (
        r"huiswerk",
        r"\blos (deze |de |dit )?(som|vergelijking)?\s*op\b",
        r"\d+\s*x\s*[+-]\s*\d+\s*=",
        r"\b(pvv|vvd|d66|cda|groenlinks|pvda|bbb|politiek\w*|partij|verkiezing\w*)\b",
        r"champions league|eredivisie|\bwk\b|\bwie wint\b",
    ),
)
INSULT = Policy(
    "insult",
    "insults aimed at Koers",
    "stay calm and offer help",
    "open",
    (
        r"\b(dom|stom|achterlijk)e? (ding|bot|robot|programma)\b",
        r"\bkut\w*",
        r"\bkanker\w*",
        r"\b(idioot|debiel|sukkel|loser)\b",
        r"je bent (echt )?(dom|stom|nutteloos|waardeloos)",
    ),
)

SHARED_DATA = Policy(
    "shared_data",
    "a message carrying several people's personal data (a class list with names, addresses, numbers)",
    "Koers uses none of it, gives no advice per named person, and offers general advice instead",
    "closed",
    (),  # decided on the number of scrubbed items, see bot.understand.safety
)
PERSONAL_DATA = Policy(
    "personal_data",
    "names, phone numbers, e-mail and home addresses, postcodes or a BSN in a message",
    "scrubbed before anything uses, logs or shows the message; the student is gently told not to share it",
    "open",
    (),  # decided by scrub(); the answer itself goes on
)
SHARED_DATA_ITEMS = 3  # one phone number is a student sharing their own; three items is someone's list

# First match wins: care before refusals, refusals before redirects.
POLICIES = (SELF_HARM, ABUSE, BULLYING, DOWN, FRAUD, DANGER, INJECTION, OTHERS_DATA, OFF_TOPIC, INSULT)
# Every guardrail, including those decided by scrubbing rather than by a pattern (documented and tested).
DECLARED_POLICIES = (*POLICIES, SHARED_DATA, PERSONAL_DATA)
CARE_POLICIES = frozenset({"self_harm", "abuse", "bullying", "down"})

_PERSONAL_DATA: tuple[tuple[str, str], ...] = (
    ("e-mailadres", r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    ("telefoonnummer", r"(?<!\d)(?:\+31|0031|0)\s?(?:6|[1-9]\d{1,2})(?:[\s-]?\d){7,8}(?!\d)"),
    ("adres", r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|gracht|dijk|kade|singel|hof|pad)\s+\d+\w?"),
    ("postcode", r"\b\d{4}\s?[A-Z]{2}\b"),
    ("BSN", r"(?<!\d)\d{9}(?!\d)"),
    # "ik heet Sam", "mijn naam is Sam", "ik ben Sam": a capitalised word after these is a first name.
    (
        "naam",
        r"(?:(?<=\bheet )|(?<=\bnaam is )|(?<=\b[Ii]k ben ))"
        r"[A-Z][a-z]+(?:\s(?:van|de|der|el|den)?\s?[A-Z][a-z]+)*",
    ),
)


_CONTACT_REQUEST = (
    r"\b(bel|app|sms|mail|stuur)\w*\s+(me|mij|haar|hem|hen|ze)\b"
    r"|(bellen|appen|mailen|sturen|berichtje)\b.{0,20}\?"
    r"|\b(kun|kan|wil|zou) je\b.{0,40}\b(bellen|appen|mailen|sturen|sms\w*)\b"
)


def asks_for_contact(text: str) -> bool:
    """Whether the student asks Koers to call, text or send something (it cannot)."""
    return bool(re.search(_CONTACT_REQUEST, fold(text)))


_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(kind for kind, _ in _PERSONAL_DATA) + r")\]")


def looks_like_instruction(text: str) -> bool:
    """Whether a passage sentence tries to instruct the assistant (prompt injection inside a document)."""
    return INJECTION.matches(fold(text))


def scrub(text: str) -> tuple[str, tuple[str, ...]]:
    """Replace personal data with a placeholder such as [telefoonnummer]; say which kinds were found."""
    found: list[str] = []
    for kind, pattern in _PERSONAL_DATA:
        text, count = re.subn(pattern, f"[{kind}]", text)
        if count:
            found.append(kind)
    return text, tuple(found)


@cache
def _people() -> PeopleTagger:
    return PeopleTagger.load()


def scrub_for_storage(text: str) -> str:
    """What may be stored or shown to a mentor: :func:`scrub`, and every person's name replaced too
    ("mijn vriendin Noor" -> "mijn vriendin [naam]"), found by a learned tagger (bot.understand.people).

    Answering uses :func:`scrub` only: a friend's name changes nothing in the advice, and a tagger's rare
    false alarm ("Storm" for a storm) must not change what Koers understands."""
    return _people().replace(scrub(text)[0])[0]


def names_someone(text: str) -> bool:
    """Whether ``text`` names a person ("en wat verdient juf Noor"), by the learned tagger of
    :func:`scrub_for_storage`."""
    return bool(_people().spans(text))


def placeholders(text: str) -> int:
    """How many pieces of personal data :func:`scrub` replaced in ``text``."""
    return len(_PLACEHOLDER.findall(text))
