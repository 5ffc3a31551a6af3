"""`koers corpus review`: what a school's decaan should check before go-live, per document.

Lists every claim the corpus itself marks as not yet confirmed (front matter ``controleren``, and sentences
that say they are unsure), every source or sentence dated more than five years back, and documents not
checked for a year. The result is ``corpus/REVIEW.md``: a checklist, generated, never edited by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.core.route_graph import GRAPH_FILE
from bot.core.text import UNSURE, sentences
from ingest.corpus_check import CorpusCheck
from ingest.documents import Document

REVIEW_FILE = "REVIEW.md"  # in the corpus folder; not ingested (ingest.pipeline.IGNORED_NAMES)
MAX_AGE_YEARS = 5
STALE_AFTER = dt.timedelta(days=365)  # bijgewerkt longer ago than this: check the document again
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


@dataclass
class DocumentReview:
    source: str
    doc_id: str
    items: list[str] = field(default_factory=list)


def _old_years(text: str, before: int) -> list[int]:
    return sorted({int(y) for y in _YEAR.findall(text) if int(y) < before})


def review_document(doc: Document, source: str, today: dt.date) -> DocumentReview:
    review = DocumentReview(source, doc.meta.id)
    before = today.year - MAX_AGE_YEARS
    review.items += [f"Niet bevestigd: {claim}" for claim in doc.meta.controleren]
    for bron in doc.meta.bronnen:
        if years := _old_years(f"{bron.titel} {bron.url}", before):
            review.items.append(
                f"Bron uit {years[-1]}, ouder dan {MAX_AGE_YEARS} jaar: {bron.titel} ({bron.url})"
            )
    for sentence in sentences(doc.body):
        if UNSURE.search(sentence):
            review.items.append(f'Onzeker in de tekst: "{sentence}"')
        elif years := _old_years(sentence, before):
            review.items.append(f'Cijfer of feit uit {years[-1]}: "{sentence}"')
    if today - doc.meta.bijgewerkt > STALE_AFTER:
        review.items.append(
            f"Laatst gecontroleerd op {doc.meta.bijgewerkt:%d-%m-%Y}: controleer het hele document"
        )
    return review


def review_graph(check: CorpusCheck) -> DocumentReview:
    review = DocumentReview(GRAPH_FILE, "route graph")
    for node in check.graph.nodes if check.graph else []:
        if node.controleren:
            review.items.append(f"Niet bevestigd: {node.name}: {node.controleren}")
    return review


def review_corpus(check: CorpusCheck, today: dt.date) -> list[DocumentReview]:
    reviews = [review_graph(check)]
    reviews += [review_document(c.doc, c.source, today) for c in check.docs if c.doc is not None]
    return [r for r in reviews if r.items]


def render_review(reviews: list[DocumentReview], documents: int, today: dt.date) -> str:
    total = sum(len(r.items) for r in reviews)
    lines = [
        "# Corpus review: te controleren voor go-live",
        "",
        f"Gemaakt met `koers corpus review` op {today:%d-%m-%Y}. Pas dit bestand niet met de hand aan:"
        " verbeter het document en maak de lijst opnieuw.",
        "",
        f"{total} punten in {len(reviews)} van de {documents} documenten. Per punt: klopt het nog volgens"
        " een officiële bron (SBB, kiesmbo.nl, Rijksoverheid, de mbo-school)? Pas dan het document aan,"
        " zet de bron erbij en haal het punt weg uit `controleren`.",
        "",
        "Wat op de lijst komt: beweringen die het document zelf als niet bevestigd noemt (`controleren` in de"
        " front matter, of een zin die zegt dat iets niet zeker is), bronnen en feiten ouder dan"
        f" {MAX_AGE_YEARS} jaar, en documenten die meer dan een jaar niet zijn gecontroleerd.",
    ]
    for review in reviews:
        lines += ["", f"## {review.source} (`{review.doc_id}`)", ""]
        lines += [f"- [ ] {item}" for item in review.items]
    return "\n".join(lines) + "\n"
