"""Document loaders on real files: PDF (fpdf2, pypdf), Word (python-docx), HTML, text, Markdown."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from bot.core.errors import DocumentError
from ingest.loaders import SUPPORTED_EXTENSIONS, load_file, markdown_sections
from ingest.loaders.base import Section
from tests.pdfs import make_pdf

PAGES = ["Welkom bij het profiel PIE.", "De lasopleiding duurt twee jaar.", "Na de opleiding kun je werken."]
CORRUPT = "het bestand is beschadigd en kan niet worden gelezen"
BINARY = "dit lijkt geen tekstbestand (binaire inhoud)"
SUPPORTED = "(wel: .md, .txt, .pdf, .docx, .html)"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _pdf_bytes(pages: list[str] = PAGES, title: str = "Brochure PIE 2026") -> bytes:
    return make_pdf(pages, title=title)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("geheim")
    return _written(writer)


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_blank_page(width=200, height=200)
    return _written(writer)


def _half_pdf() -> bytes:
    data = _pdf_bytes()
    return data[: len(data) // 2]


def _error(path: Path, root: Path, **kwargs: int) -> str:
    with pytest.raises(DocumentError) as info:
        load_file(path, root, **kwargs)
    return info.value.message


# PDF


def test_pdf_gives_one_section_per_page_with_its_number_and_the_metadata_title(tmp_path: Path) -> None:
    path = _write(tmp_path / "pta-2026" / "Brochure PIE.pdf", _pdf_bytes())
    loaded = load_file(path, tmp_path, school="het-lyceum")

    assert [s.page for s in loaded.sections] == [1, 2, 3]
    assert [s.text for s in loaded.sections] == PAGES
    assert all(s.heading == "" for s in loaded.sections)
    [las] = [s for s in loaded.sections if "lasopleiding" in s.text]
    assert las.page == 2
    meta = loaded.meta
    assert (meta.id, meta.title, meta.kind, meta.school) == (
        "school-pta-2026-brochure-pie-pdf", "Brochure PIE 2026", "school", "het-lyceum",
    )  # fmt: skip
    assert (meta.labels, meta.leerwegen, meta.bronnen) == ([], [], [])
    assert meta.bijgewerkt == dt.date.fromtimestamp(path.stat().st_mtime)
    assert loaded.source == "pta-2026/Brochure PIE.pdf"
    assert loaded.warnings == []


def test_pdf_without_a_title_is_named_after_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "Stage-info.PDF", _pdf_bytes(title=""))
    assert load_file(path, tmp_path).meta.title == "Stage-info"


def test_pdf_skips_pages_without_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaten.pdf", _pdf_bytes(["Eerste pagina.", "", "Derde pagina."]))
    assert [(s.page, s.text) for s in load_file(path, tmp_path).sections] == [
        (1, "Eerste pagina."), (3, "Derde pagina."),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (_encrypted_pdf, "de PDF is beveiligd met een wachtwoord; sla hem op zonder wachtwoord"),
        (_half_pdf, CORRUPT),
        (_blank_pdf, "geen tekst gevonden; gescande PDF's worden nog niet ondersteund"),
    ],
    ids=["encrypted", "truncated", "no-text-layer"],
)
def test_unreadable_pdfs_are_refused_with_a_clear_reason(
    tmp_path: Path, build: Callable[[], bytes], message: str
) -> None:
    assert _error(_write(tmp_path / "brochure.pdf", build()), tmp_path) == message


# Word


def test_docx_headings_paragraphs_and_table_rows(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Keuzegids techniek", level=0)
    document.add_heading("Kosten", level=1)
    document.add_paragraph("Je betaalt geen lesgeld.")
    document.add_paragraph("Wel koop je je eigen werkkleding.")
    document.add_heading("Stage", level=2)
    document.add_paragraph("Je loopt twee weken stage.")
    document.add_paragraph("Neem je laskap mee.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Week", "Bedrijf"), ("12", "Metaalbouw Jansen")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Contact", level=1)
    document.add_paragraph("Vraag het je mentor.")
    path = tmp_path / "keuzegids.docx"
    document.save(str(path))

    loaded = load_file(path, tmp_path)

    assert loaded.meta.title == "Keuzegids techniek"
    assert loaded.meta.id == "school-keuzegids-docx"
    assert loaded.sections == [
        Section("Kosten", "Je betaalt geen lesgeld.\n\nWel koop je je eigen werkkleding."),
        Section(
            "Kosten > Stage",
            "Je loopt twee weken stage.\n\n- Neem je laskap mee.\n\nWeek | Bedrijf\n12 | Metaalbouw Jansen",
        ),
        Section("Contact", "Vraag het je mentor."),
    ]


def test_docx_title_from_the_document_properties(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Open dag 2026"
    document.add_paragraph("Kom langs op zaterdag.")
    path = tmp_path / "open-dag.docx"
    document.save(str(path))
    loaded = load_file(path, tmp_path)
    assert (loaded.meta.title, loaded.sections) == ("Open dag 2026", [Section("", "Kom langs op zaterdag.")])


def test_a_corrupt_docx_is_refused(tmp_path: Path) -> None:
    assert _error(_write(tmp_path / "kapot.docx", os.urandom(4096)), tmp_path) == CORRUPT


# HTML

PAGE = """<!doctype html>
<html lang="nl"><head><title>Open dag | Het Lyceum</title>
<style>body { color: red }</style><script>var tracking = "SCRIPTTEKST";</script></head>
<body class="cookie-consent-pending">
<header><a href="/">HEADERTEKST</a></header>
<nav><ul><li>NAVTEKST</li></ul></nav>
<div id="cookie-banner"><p>COOKIETEKST: wij gebruiken cookies.</p></div>
<ul class="main-menu"><li>MENUTEKST</li></ul>
<main>
  <h1>Open dag</h1>
  <p>Kom op   zaterdag 14 maart
     naar <b>onze</b> school.</p>
  <h2>Programma</h2>
  <ul><li>Rondleiding door de <em>las</em>werkplaats</li><li>Proefles elektro</li></ul>
  <h3>Tijden</h3>
  <table><tr><th>Start</th><th>Einde</th></tr><tr><td>10:00</td><td>13:00</td></tr></table>
  <!-- COMMENTAARTEKST -->
</main>
<aside>ASIDETEKST</aside>
<footer>FOOTERTEKST</footer>
</body></html>
"""


def test_html_keeps_the_main_content_and_its_headings(tmp_path: Path) -> None:
    loaded = load_file(_write(tmp_path / "open-dag.html", PAGE.encode()), tmp_path)

    assert loaded.meta.title == "Open dag | Het Lyceum"
    assert loaded.sections == [
        Section("Open dag", "Kom op zaterdag 14 maart naar onze school."),
        Section("Open dag > Programma", "- Rondleiding door de laswerkplaats\n\n- Proefles elektro"),
        Section("Open dag > Programma > Tijden", "Start | Einde\n10:00 | 13:00"),
    ]
    everything = " ".join(s.text + s.heading for s in loaded.sections)
    for hidden in ("SCRIPT", "HEADER", "NAV", "COOKIE", "MENU", "COMMENTAAR", "ASIDE", "FOOTER", "color"):
        assert hidden not in everything


def test_html_without_main_uses_the_body_and_the_first_h1_as_title(tmp_path: Path) -> None:
    page = "<html><body><nav>Menu</nav><h1>Stages</h1><p>Je loopt stage in klas 4.</p></body></html>"
    loaded = load_file(_write(tmp_path / "stages.htm", page.encode()), tmp_path)
    assert loaded.meta.title == "Stages"
    assert loaded.sections == [Section("", "Je loopt stage in klas 4.")]


# Text and encodings


def test_cp1252_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = "Kantine\r\nIn het café kost koffie € 1,20.\r\nNaïeve vragen mogen altijd.\r\n"
    loaded = load_file(_write(tmp_path / "kantine.txt", text.encode("cp1252")), tmp_path)
    assert loaded.sections == [
        Section("", "Kantine\nIn het café kost koffie € 1,20.\nNaïeve vragen mogen altijd."),
    ]
    assert loaded.meta.title == "Kantine"
    assert loaded.warnings == ["tekst gelezen als cp1252"]


def test_utf8_bom_is_stripped_without_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "info.txt", "\ufeffRooster: het café is open.\n".encode())
    loaded = load_file(path, tmp_path)
    assert loaded.sections == [Section("", "Rooster: het café is open.")]
    assert loaded.warnings == []


def test_markdown_in_cp1252_is_read_too(tmp_path: Path) -> None:
    path = _write(tmp_path / "kosten.md", "# Kosten\n\nDe excursie kost € 15.\n".encode("cp1252"))
    loaded = load_file(path, tmp_path)
    assert (loaded.meta.title, loaded.sections) == ("Kosten", [Section("", "De excursie kost € 15.")])
    assert loaded.warnings == ["tekst gelezen als cp1252"]


# Bad input


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leeg.txt", b"", "het bestand is leeg"),
        ("spaties.md", b"  \n\n\t\n", "het bestand is leeg"),
        ("leeg.pdf", b"", "het bestand is leeg"),
        ("plaatje.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, BINARY),
        ("pagina.html", b"<html>\x00\x01\x02\x03</html>", BINARY),
        ("ruis.md", bytes(range(1, 32)) * 40 + "één".encode("cp1252"), BINARY),
        ("rooster.xyz", b"tekst", f"bestandstype .xyz wordt niet ondersteund {SUPPORTED}"),
        ("oud.DOC", b"tekst", f"bestandstype .doc wordt niet ondersteund {SUPPORTED}"),
        ("LEESMIJ", b"tekst", f"bestanden zonder extensie worden niet ondersteund {SUPPORTED}"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_a_dutch_reason(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    assert _error(_write(tmp_path / name, data), tmp_path) == message


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "groot.pdf"
    with big.open("wb") as handle:  # sparse: 25.3 MB on paper, nothing written
        handle.truncate(int(25.3 * 1024 * 1024))
    assert _error(big, tmp_path) == "het bestand is te groot (25,3 MB; de grens is 20 MB)"

    small = _write(tmp_path / "notities.txt", b"Een regel tekst.\n" * 200)  # 3400 bytes
    assert _error(small, tmp_path, max_bytes=2048) == "het bestand is te groot (3,4 kB; de grens is 2 kB)"
    assert load_file(small, tmp_path, max_bytes=3400).sections


def test_a_missing_file_is_a_document_error(tmp_path: Path) -> None:
    assert "kan niet worden geopend" in _error(tmp_path / "weg.txt", tmp_path)


# Markdown

FRONT_MATTER = """---
id: lasser
title: "Lasser"
kind: beroep
labels: ["mbo:Medewerker productietechniek"]
bronnen:
  - titel: "Bron"
    url: "https://example.org"
bijgewerkt: 2026-11-28
---
# Lasser

Een lasser maakt metaal vast.

## Opleiding

Je leert het op het mbo.
"""


def test_markdown_with_front_matter_keeps_its_metadata(tmp_path: Path) -> None:
    loaded = load_file(_write(tmp_path / "beroepen" / "lasser.md", FRONT_MATTER.encode()), tmp_path)
    assert (loaded.meta.id, loaded.meta.title, loaded.meta.kind) == ("lasser", "Lasser", "beroep")
    assert loaded.meta.bijgewerkt == dt.date(2026, 11, 28)
    assert loaded.meta.labels == ["mbo:Medewerker productietechniek"]
    assert loaded.sections == [
        Section("", "Een lasser maakt metaal vast."),
        Section("Opleiding", "Je leert het op het mbo."),
    ]
    assert loaded.source == "beroepen/lasser.md"


def test_markdown_without_front_matter_is_a_school_document(tmp_path: Path) -> None:
    text = (
        "Intro zonder kop.\n\n# Keuzevakken 2026\n\nJe kiest twee vakken.\n\n## Lassen\n\nIn de werkplaats.\n"
    )
    loaded = load_file(
        _write(tmp_path / "PTA" / "Keuzevakken.markdown", text.encode()), tmp_path, school="lyceum"
    )
    meta = loaded.meta
    assert (meta.id, meta.title, meta.kind, meta.school) == (
        "school-pta-keuzevakken-markdown", "Keuzevakken 2026", "school", "lyceum",
    )  # fmt: skip
    assert loaded.sections == [
        Section("", "Intro zonder kop."),
        Section("", "Je kiest twee vakken."),
        Section("Lassen", "In de werkplaats."),
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("---\nid: [unclosed\n---\ntekst\n", "de kop (front matter) is geen geldige YAML"),
        (FRONT_MATTER.replace("kind: beroep", "kind: onbekend"), "de kop (front matter) klopt niet (kind:"),
        (FRONT_MATTER.split("# Lasser")[0], "er staat geen tekst na de kop (front matter)."),
    ],
    ids=["yaml", "schema", "no-body"],
)
def test_front_matter_problems_keep_their_messages(tmp_path: Path, text: str, fragment: str) -> None:
    message = _error(_write(tmp_path / "lasser.md", text.encode()), tmp_path)
    assert message.startswith(fragment)
    assert "lasser.md" not in message  # the report adds the file name


def test_markdown_sections_drop_the_title_heading_and_ignore_code_fences() -> None:
    body = "# Lasser\n\nIntro.\n\n## Veiligheid\n\n```\n# geen kop\n```\n\n### Laskap\n\nAltijd op.\n"
    assert markdown_sections(body, "Lasser") == [
        Section("", "Intro."),
        Section("Veiligheid", "```\n# geen kop\n```"),
        Section("Veiligheid > Laskap", "Altijd op."),
    ]
    assert markdown_sections(body, "Iets anders")[0] == Section("Lasser", "Intro.")


def test_supported_extensions() -> None:
    assert frozenset({".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm"}) == SUPPORTED_EXTENSIONS
