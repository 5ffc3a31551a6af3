"""Grounding check for an LLM-written answer: is every fact in it backed by a passage it cites?

The reply is checked against the retrieved passages exactly as the LLM saw them, numbered 1..n. It passes
only if all of these hold (fails closed: anything in doubt means the offline answer is shown instead):

* **Dutch, not empty.** At least :data:`MIN_KNOWN_SHARE` of its words are Dutch function words (de, het,
  je, ...) or occur in the passages, the question or :data:`CONVERSATIONAL`. Faithful and freely reworded
  sentences score 0.60-1.00; English 0.00-0.25, German 0.30, random letters 0. A reply of
  :data:`MIN_PROSE_WORDS` or more words also needs :data:`MIN_DUTCH_SHARE` function words: corpus paragraphs
  have 0.15-0.74 (median 0.50), while a salad of source words or a repeated token has none.
* **At least one cited sentence.** A sentence is a line or a part of a line ending in . ! or ?; [n] markers
  after the full stop ("... werkt. [1]") belong to the sentence before them, as in the offline answer.
* **A cited sentence is supported by the passages it cites.** Every n exists. With the markers removed,
  the sentence must be close to one sentence, or two consecutive sentences, of a cited passage (or its
  title): cosine similarity of the e5 query embeddings >= ``threshold``, or at least
  :data:`LEXICAL_SUPPORT` of its content words (and at least :data:`MIN_LEXICAL_WORDS` of them) occur in
  one sentence. Containment is measured per sentence, not per passage, because in a whole passage the
  words of a swapped claim ("SBB beheert het register" where DUO does) are nearly always found.
* **Nothing beyond the supporting sentence.** The closest sentence (or pair) must agree on negation (niet,
  geen, nooit, ...): "In de BBL krijg je geen loon" is close to "Je krijgt loon" in every other measure.
  Every number in the claim (in digits or words, read as the eval judge reads them:
  ``bot.core.claims.numbers_in``) occurs in it; a money amount only if it states one; a five-digit code only
  if it has that code (``bot.core.claims``). This is stricter than
  "somewhere in the passage": "Met een BB-diploma begin je op niveau 3" must fail although the passage's
  next sentence says "niveau 3 of 4" (for KB, GL and TL).
* **A sentence without markers states no fact.** It has no number, amount or code; all its content words
  occur in the question, the passages or :data:`CONVERSATIONAL`; and at most
  :data:`MAX_UNCITED_SOURCE_WORDS` of them come only from the passages. Two source terms in one sentence
  already relate facts ("Een elektricien werkt niet met stroom"), so such a sentence must cite. Questions
  follow the same rule, since "Wist je dat ...?" states a fact too. A question directly followed by a cited
  sentence ("Ben je jonger dan 18? Dan betaal je geen lesgeld [2].") is checked as part of that sentence.

The threshold was measured with the bundled multilingual-e5-small on five corpus passages (elektricien,
meeloopdag aanmelden, lesgeld, crebo, BBL): each claim was checked as a one-sentence reply citing its
passage. Best cosine to a passage sentence or pair (median in brackets), and claims accepted by this module:

=====================================  ==  ================  ======  ======  ======
claims                                  n  cosine             0.93    0.94    0.95
=====================================  ==  ================  ======  ======  ======
close paraphrases                      26  0.93-1.00 (0.98)  25      **26**  24
free rewordings                        20  0.86-0.99 (0.95)  15      **12**  11
invented claims                        26  0.86-0.96 (0.89)  2       **1**   1
one-word swaps of a passage sentence   11  0.90-0.98 (0.93)  3       **1**   0
=====================================  ==  ================  ======  ======  ======

A false reject only costs warmth (the quoted offline answer is shown); a false accept tells a student
something wrong with a source next to it. So the line sits high, where every close paraphrase still passes.
Swapping one word ("via de website" -> "door te bellen", DUO -> SBB) or flipping a condition ("Als je
jonger bent dan 18, betaal je wel lesgeld" is closest to "Vanaf je 18e betaal je lesgeld") stays invisible
to sentence embeddings at any usable threshold; the prompt's "stay close to the sources" and the number,
amount, code and negation rules carry that risk.

Citations of an accepted answer are renumbered 1..k in order of first use; each quotes, verbatim from the
chunk text, the passage sentence that best supports the first sentence citing it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bot.core.claims import numbers_in, states_money_amount, unverified_codes
from bot.core.ports import Embedder, Vector
from bot.core.schemas import Citation, RetrievedChunk
from bot.core.text import STOPWORDS, content_words, fold, sentences, split_sentences

MIN_KNOWN_SHARE = 0.5
MIN_DUTCH_SHARE = 0.1
MIN_PROSE_WORDS = 12  # below this a short factual reply may lack function words: "BBL betekent ..."
LEXICAL_SUPPORT = 0.8  # four of five content words: room for one changed word, not for a new subject
MIN_LEXICAL_WORDS = 3  # with one or two content words a share says nothing
MAX_UNCITED_SOURCE_WORDS = 1
NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "nergens", "niemand", "zonder"})
# Words a friendly answer uses around the facts: greetings, encouragement, pointers to people who help.
CONVERSATIONAL = content_words(
    """hoi hallo goed goede vraag vragen vraagt stel stellen antwoord praat praten bespreek bespreken
    mentor decaan docent leraar ouders verzorgers school hulp helpen help succes veel plezier fijn graag
    weten weet meer informatie lees lezen kijk kijken denk denken idee tip tips samen kiezen keuze kies
    twijfel twijfelen twijfelt zeker sorry helaas eerlijk bronnen bron lijkt interessant mooi spannend
    belangrijk verder hierover daarover erover beter eerst misschien zeggen vertellen uitleggen"""
)

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+")
_LINE_PREFIX = re.compile(r"^(#+|[-*+•]|\d{1,2}[.)])\s+")  # headings, bullets, list numbers
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class GroundingResult:
    """Whether a reply may be shown; if so, its text with renumbered markers and its citations."""

    ok: bool
    reasons: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    text: str = ""


@dataclass
class _Claim:
    text: str
    numbers: list[int]
    line: int


@dataclass(frozen=True)
class _Candidate:
    """A passage sentence, two consecutive ones, or the title: what a reply sentence may lean on."""

    passage: int  # 1-based, as shown to the LLM
    text: str
    quotable: bool  # a single sentence of the chunk text, fit to be a citation quote


def check_grounding(
    text: str,
    passages: Sequence[RetrievedChunk],
    question: str,
    embedder: Embedder,
    threshold: float,
) -> GroundingResult:
    """Check ``text`` against ``passages`` (numbered 1..n); see the module docstring for the rules."""
    if not text.strip():
        return GroundingResult(False, ["the reply is empty"])
    vocabulary = _Vocabulary.of(question, passages)
    if problem := _not_dutch(text, vocabulary):
        return GroundingResult(False, [problem])
    claims = _claims(text)
    cited = [c for c in claims if c.numbers]
    if not cited:
        return GroundingResult(False, ["no sentence cites a passage"])
    reasons = [
        f"'{c.text}' cites [{n}], which does not exist"
        for c in cited
        for n in c.numbers
        if not 1 <= n <= len(passages)
    ]
    if reasons:
        return GroundingResult(False, reasons)

    evidence = _Evidence(passages, embedder)
    numbers = sorted({n for c in cited for n in c.numbers})
    evidence.embed(evidence.singles(numbers) + evidence.pairs(numbers))  # one batch
    claim_vectors = embedder.embed([c.text for c in cited], kind="query")
    order: dict[int, int] = {}
    quotes: dict[int, str] = {}
    for claim, vector in zip(cited, claim_vectors, strict=True):
        problem = _unsupported(claim, vector, evidence, threshold)
        if problem:
            reasons.append(f"'{claim.text}': {problem}")
        for n in claim.numbers:
            if n not in order:
                order[n] = len(order) + 1
                quotes[n] = evidence.quote(n, vector)
    reasons += _uncited_problems([c for c in claims if not c.numbers], vocabulary)
    if reasons:
        return GroundingResult(False, reasons)
    citations = [Citation.of(order[n], passages[n - 1].chunk, quotes[n]) for n in order]
    return GroundingResult(True, [], citations, renumber(text, order))


@dataclass(frozen=True)
class _Vocabulary:
    """Content words (stems) of the question and of the passages the LLM was shown."""

    asked: set[str]
    sourced: set[str]

    @classmethod
    def of(cls, question: str, passages: Sequence[RetrievedChunk]) -> _Vocabulary:
        return cls(
            content_words(question),
            content_words(" ".join(f"{p.chunk.title} {p.chunk.text}" for p in passages)),
        )

    def knows(self, word: str) -> bool:
        stem = word[:6]
        return word in STOPWORDS or stem in self.asked or stem in self.sourced or stem in CONVERSATIONAL


def dutch_share(text: str) -> float:
    """Share of the words that are Dutch function words."""
    words = [fold(w) for w in _LETTERS.findall(text)]
    return sum(w in STOPWORDS for w in words) / len(words) if words else 0.0


def _not_dutch(text: str, vocabulary: _Vocabulary) -> str:
    words = [fold(w) for w in _LETTERS.findall(text)]
    known = sum(vocabulary.knows(w) for w in words) / len(words) if words else 0.0
    if known < MIN_KNOWN_SHARE:
        return f"the reply does not read as Dutch about these passages (known words {known:.2f})"
    if len(words) >= MIN_PROSE_WORDS and dutch_share(text) < MIN_DUTCH_SHARE:
        return f"the reply is not Dutch sentences (function words {dutch_share(text):.2f})"
    return ""


def negated(text: str) -> bool:
    return not NEGATIONS.isdisjoint(_LETTERS.findall(fold(text)))


def renumber(text: str, order: dict[int, int]) -> str:
    """Rewrite [n] markers with the new numbers in ``order``; '[2, 1]' becomes '[a] [b]'."""

    def new(match: re.Match[str]) -> str:
        numbers = dict.fromkeys(order[int(n)] for n in match.group(1).split(","))
        return " ".join(f"[{n}]" for n in numbers)

    return _MARKER.sub(new, text)


def in_reading_order(text: str, citations: Sequence[Citation]) -> tuple[str, list[Citation]]:
    """``text`` and ``citations`` numbered 1..k in the order the markers first appear in the text (a
    paragraph placed between others, such as a glossary line, would otherwise read "[3] ... [6] ... [4]")."""
    order: dict[int, int] = {}
    for match in _MARKER.finditer(text):
        for n in match.group(1).split(","):
            order.setdefault(int(n), len(order) + 1)
    renumbered = [c.model_copy(update={"number": order[c.number]}) for c in citations if c.number in order]
    return renumber(text, order), sorted(renumbered, key=lambda c: c.number)


def _claims(text: str) -> list[_Claim]:
    claims: list[_Claim] = []
    # "werkt.[1] Je" -> "werkt. [1] Je", so the split below sees the sentence end
    normalised = re.sub(r"([.!?])(\[\d)", r"\1 \2", text)
    for line_number, raw in enumerate(normalised.splitlines()):
        line = _LINE_PREFIX.sub("", raw.strip())
        for part in split_sentences(line):
            leading = _LEADING_MARKERS.match(part)
            if leading and claims:  # markers after a full stop belong to the sentence before them
                claims[-1].numbers += _numbers(leading.group(0))
                part = part[leading.end() :]
            body = _strip_markers(part)
            if re.search(r"\w", body):  # nothing with a letter or digit escapes the check
                claims.append(_Claim(body, _numbers(part), line_number))
            elif claims:
                claims[-1].numbers += _numbers(part)
    return _merge_questions(claims)


def _merge_questions(claims: list[_Claim]) -> list[_Claim]:
    """Join a marker-less question to the cited sentence right after it: 'Ben je 18? Dan ... [1].'"""
    merged: list[_Claim] = []
    for claim in claims:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.numbers
            and previous.text.endswith("?")
            and claim.numbers
            and previous.line == claim.line
        ):
            merged[-1] = _Claim(f"{previous.text} {claim.text}", claim.numbers, claim.line)
        else:
            merged.append(claim)
    return merged


def _numbers(text: str) -> list[int]:
    return [int(n) for group in _MARKER.findall(text) for n in group.split(",")]


def _strip_markers(text: str) -> str:
    text = _MARKER.sub("", text)
    text = re.sub(r"\s+([.,!?;:])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip(" *_`")


class _Evidence:
    """Sentences, pairs of consecutive sentences and titles of the cited passages, each embedded once."""

    def __init__(self, passages: Sequence[RetrievedChunk], embedder: Embedder) -> None:
        self.passages = passages
        self._embedder = embedder
        self._vectors: dict[str, Vector] = {}

    def singles(self, numbers: Sequence[int]) -> list[_Candidate]:
        found: list[_Candidate] = []
        for n in numbers:
            chunk = self.passages[n - 1].chunk
            found += [_Candidate(n, s, True) for s in sentences(chunk.text)]
            found.append(_Candidate(n, chunk.title, False))
        return found

    def pairs(self, numbers: Sequence[int]) -> list[_Candidate]:
        return [
            _Candidate(n, f"{a} {b}", False)
            for n in numbers
            for a, b in pairwise(sentences(self.passages[n - 1].chunk.text))
        ]

    def embed(self, candidates: Sequence[_Candidate]) -> None:
        missing = list(dict.fromkeys(c.text for c in candidates if c.text not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed(missing, kind="query"), strict=True))

    def closest(self, vector: Vector, candidates: Sequence[_Candidate]) -> tuple[_Candidate | None, float]:
        self.embed(candidates)
        scored = [(_cosine(vector, self._vectors[c.text]), c) for c in candidates]
        similarity, best = max(scored, key=lambda pair: pair[0], default=(-1.0, None))
        return best, similarity

    def quote(self, number: int, vector: Vector) -> str:
        """The sentence of passage ``number`` closest to ``vector``, verbatim, so the citation checks."""
        best, _ = self.closest(vector, [c for c in self.singles([number]) if c.quotable])
        return best.text if best else self.passages[number - 1].chunk.text.strip()


def _unsupported(claim: _Claim, vector: Vector, evidence: _Evidence, threshold: float) -> str:
    """Why the cited passages do not back ``claim``; empty when they do."""
    # Pairs of sentences count too: the corpus writes "Ben je jonger dan 18? Dan betaal je geen lesgeld.",
    # and "Als je jonger bent dan 18, betaal je wel lesgeld" must be compared with that pair, not with the
    # single "Vanaf je 18e betaal je lesgeld" it also resembles.
    best, similarity = evidence.closest(
        vector, evidence.singles(claim.numbers) + evidence.pairs(claim.numbers)
    )
    if similarity < threshold:
        words = content_words(claim.text)
        best = max(evidence.singles(claim.numbers), key=lambda c: _containment(words, c.text), default=None)
        if len(words) < MIN_LEXICAL_WORDS or best is None or _containment(words, best.text) < LEXICAL_SUPPORT:
            return f"no cited sentence says this (best similarity {similarity:.3f} < {threshold})"
    return _conflict(claim.text, best.text) if best is not None else "the cited passages are empty"


def _conflict(claim: str, source: str) -> str:
    """How ``claim`` goes beyond the ``source`` sentence (or pair) that backs it; empty if it does not."""
    if negated(claim) != negated(source):
        return f"negation differs from the source sentence '{source}'"
    new_numbers = numbers_in(claim) - numbers_in(source)
    if new_numbers:
        return f"numbers not in the source sentence: {', '.join(sorted(new_numbers))}"
    if states_money_amount(claim) and not states_money_amount(source):
        return "states a money amount the source sentence does not"
    new_codes = set(unverified_codes(claim)) - set(unverified_codes(source))
    if new_codes:
        return f"codes not in the source sentence: {', '.join(sorted(new_codes))}"
    return ""


def _uncited_problems(claims: Sequence[_Claim], vocabulary: _Vocabulary) -> list[str]:
    asked, sourced = vocabulary.asked, vocabulary.sourced
    problems: list[str] = []
    for claim in claims:
        words = content_words(claim.text)
        if numbers_in(claim.text) or states_money_amount(claim.text) or unverified_codes(claim.text):
            problems.append(f"'{claim.text}' states a number without citing a passage")
        elif unknown := words - asked - sourced - CONVERSATIONAL:
            problems.append(f"'{claim.text}' has words from no passage: {', '.join(sorted(unknown))}")
        elif len(source_only := words - asked - CONVERSATIONAL) > MAX_UNCITED_SOURCE_WORDS:
            problems.append(f"'{claim.text}' repeats the passages ({', '.join(sorted(source_only))}) uncited")
    return problems


def _containment(words: set[str], text: str) -> float:
    return len(words & content_words(text)) / len(words) if words else 0.0


def _cosine(a: Vector, b: Vector) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))  # the embedder returns normalised vectors
