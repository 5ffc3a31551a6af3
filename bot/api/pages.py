"""The HTML Koers serves itself: a cited source with the quoted passage marked, and a school's demo page.

Everything that comes from a document or a setting is escaped; the pages run no inline script, so the
strict Content-Security-Policy of ``bot.api.protect.PAGE_HEADERS`` holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.core.schemas import Chunk
from bot.core.school_sites import SchoolSite

QUOTE_ANCHOR = "citaat"

_STYLE = """
body { font: 17px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; }
h1 { font-size: 1.6rem; line-height: 1.3; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
.text { white-space: pre-line; }
mark { background: #ffe58a; padding: 0 .1em; scroll-margin-top: 4rem; }
.meta { color: #555; font-size: .95rem; }
a { color: #0b5cad; }
"""


def _page(title: str, body: str, *, lang: str = "nl") -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def document_text(chunks: Sequence[Chunk]) -> list[tuple[str, str]]:
    """(heading, text) sections of a document from its passages in order, without the paragraphs a passage
    repeats from the one before it (ingest carries the last paragraphs over as context)."""
    sections: list[tuple[str, list[str]]] = []
    for chunk in chunks:
        paragraphs = _paragraphs(chunk.text)
        if sections and sections[-1][0] == chunk.heading:
            previous = sections[-1][1]
            longest = min(len(previous), len(paragraphs))
            repeated = next((k for k in range(longest, 0, -1) if previous[-k:] == paragraphs[:k]), 0)
            previous.extend(paragraphs[repeated:])
        else:
            sections.append((chunk.heading, paragraphs))
    return [(heading, "\n\n".join(paragraphs)) for heading, paragraphs in sections]


def _marked(text: str, quote: str) -> tuple[str, bool]:
    """``text`` escaped, with the first occurrence of ``quote`` in a <mark> that the page scrolls to."""
    at = text.find(quote) if quote else -1
    if at < 0:
        return escape(text), False
    end = at + len(quote)
    return (
        f'{escape(text[:at])}<mark id="{QUOTE_ANCHOR}">{escape(text[at:end])}</mark>{escape(text[end:])}',
        True,
    )


def source_page(chunks: Sequence[Chunk], quote: str = "") -> str:
    """A readable page of one document; the quoted passage is marked (the link ends in ``#citaat``)."""
    first = chunks[0]
    parts = [f"<h1>{escape(first.title)}</h1>"]
    meta = ["Bron waar Koers uit citeert."]
    if first.school:
        meta.append("Dit document komt van je school.")
    if first.url:
        meta.append(
            f'Oorspronkelijke bron: <a href="{escape(first.url)}" rel="noopener">{escape(first.url)}</a>'
        )
    parts.append(f'<p class="meta">{" ".join(meta)}</p>')
    found = False
    for heading, text in document_text(chunks):
        if heading and heading != first.title:
            parts.append(f"<h2>{escape(heading)}</h2>")
        html_text, hit = (escape(text), False) if found else _marked(text, quote)
        found = found or hit
        parts.append(f'<div class="text">{html_text}</div>')
    if quote and not found:
        parts.insert(2, '<p class="meta">Het geciteerde stuk staat niet meer precies zo in dit document.</p>')
    return _page(first.title, "\n".join(parts))


def missing_source_page(doc_id: str) -> str:
    return _page(
        "Bron niet gevonden",
        "<h1>Deze bron is er niet (meer)</h1>"
        f"<p>Koers heeft geen document <code>{escape(doc_id)}</code>. Misschien is het weggehaald of "
        "vervangen. Stel je vraag opnieuw: dan krijg je de bronnen van nu.</p>",
    )


def missing_school_page(school: str) -> str:
    return _page(
        "School niet gevonden",
        "<h1>Deze school kent Koers niet</h1>"
        f"<p>Er is geen school <code>{escape(school)}</code>. Beheerder: zet de school in schools.yaml "
        "(zie docs/schools.example.yaml) en start Koers opnieuw.</p>",
    )


def demo_page(site: SchoolSite, script_url: str) -> str:
    """A stand-in for a school's own website with the widget embedded by its one tag, as a school would."""
    tag = f'<script src="{escape(script_url)}" data-school="{escape(site.id)}" defer></script>'
    body = (
        f"<h1>{escape(site.name)}</h1>"
        "<p>Dit is een voorbeeldpagina. Zo ziet de keuzehulp eruit op de website van je school. "
        "Klik rechtsonder op de knop om hem te openen.</p>"
        "<p>Zet deze regel op je eigen website om hem daar te gebruiken:</p>"
        f"<pre><code>{escape(tag)}</code></pre>"
        f"{tag}"
    )
    return _page(f"Koers op {site.name}", body)
