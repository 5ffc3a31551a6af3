"""Real PDF, DOCX and HTML files next to every kind of bad input, through `koers ingest` and `koers ask`."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from bot.adapters import LazyEmbedder
from bot.container import build_service
from tests.conftest import koers_cli, make_settings
from tests.pdfs import make_pdf

SCHOOL = "de-wissel"


def _good_files(folder: Path) -> None:
    (folder / "brochure.pdf").write_bytes(
        make_pdf(
            [
                "Welkom op De Wissel. Hier lees je alles over onze techniekafdeling.",
                "Bij De Wissel kun je in klas 3 het keuzevak robotica volgen in ons nieuwe robotlab.",
                "Contact: vraag je mentor of de decaan om meer informatie.",
            ],
            title="Brochure techniek De Wissel",
        )
    )
    word = docx.Document()
    word.add_heading("Doorlopende leerroute De Wissel", level=1)
    word.add_paragraph("Samen met het Techniek College bieden wij een route naar installatietechniek.")
    word.add_heading("Stage", level=2)
    word.add_paragraph("In klas 4 loop je twee weken stage bij een installatiebedrijf in de regio.")
    word.save(str(folder / "leerroute.docx"))
    (folder / "open-dag.html").write_text(
        "<html><head><title>Open dag</title></head><body><nav>Home | Nieuws | Contact</nav>"
        "<main><h1>Open dag De Wissel</h1><p>De open dag van De Wissel is op zaterdag 7 februari "
        "en je kunt dan lassen in de werkplaats.</p></main><footer>Cookies en privacy</footer></body></html>",
        encoding="utf-8",
    )
    (folder / "nieuws-latin1.txt").write_bytes(
        "Nieuws: het café van De Wissel is vernieuwd.".encode("cp1252")
    )


def _bad_files(folder: Path) -> dict[str, str]:
    good_pdf = make_pdf(["Een gewone pagina met tekst over lassen."])
    (folder / "kapot.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    locked = PdfWriter()
    locked.add_blank_page(width=200, height=200)
    locked.encrypt("geheim")
    with (folder / "beveiligd.pdf").open("wb") as handle:
        locked.write(handle)
    scanned = PdfWriter()
    scanned.add_blank_page(width=200, height=200)
    with (folder / "gescand.pdf").open("wb") as handle:
        scanned.write(handle)
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "binair.md").write_bytes(bytes(range(256)) * 4)
    (folder / "te-groot.txt").write_text("lassen " * 20_000, encoding="utf-8")
    (folder / "presentatie.pptx").write_bytes(b"PK\x03\x04 niet ondersteund")
    return {
        "kapot.pdf": "beschadigd",
        "beveiligd.pdf": "wachtwoord",
        "gescand.pdf": "geen tekst gevonden; gescande PDF's worden nog niet ondersteund",
        "leeg.txt": "leeg",
        "binair.md": "binaire inhoud",
        "te-groot.txt": "te groot",
        "presentatie.pptx": "niet ondersteund",
    }


@pytest.mark.slow
def test_good_files_are_searchable_and_each_bad_file_is_reported(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    folder = tmp_path / "school-docs"
    folder.mkdir()
    _good_files(folder)
    expected_failures = _bad_files(folder)
    cfg = make_settings(tmp_path / "store", ingest={"max_file_mb": 0.1})
    env = {"KOERS_INGEST__MAX_FILE_MB": "0.1", "COLUMNS": "250"}

    result = koers_cli(cfg, "ingest", str(folder), "--school", SCHOOL, **env)
    assert result.exit_code == 1, result.output
    report = " ".join(result.stderr.split())
    for name, reason in expected_failures.items():
        assert name in report and reason in report, f"{name}: '{reason}' not in report"
    assert "cp1252" in result.stdout  # the non-UTF-8 file is read, with a note on its encoding

    asked = koers_cli(
        cfg, "ask", "kan ik bij de wissel het keuzevak robotica volgen?", "--school", SCHOOL, **env
    )
    assert asked.exit_code == 0, asked.output
    assert "robotica" in asked.stdout and "p. 2" in asked.stdout  # page-accurate citation

    service = build_service(cfg, embedder)
    for question, source, needle in [
        ("hoe lang duurt de stage in klas 4 bij de wissel?", "leerroute.docx", "twee weken"),
        ("wanneer is de open dag van de wissel?", "open-dag.html", "zaterdag 7 februari"),
        ("is het café van de wissel vernieuwd?", "nieuws-latin1.txt", "café"),
    ]:
        answer = service.answer(question, school=SCHOOL)
        assert any(c.source == source for c in answer.citations), (question, answer.citations)
        assert needle in answer.text
    navigation = service.answer("home nieuws contact cookies privacy", school=SCHOOL)
    assert all("Home | Nieuws" not in c.quote and "Cookies" not in c.quote for c in navigation.citations)
    # Nothing of school documents reaches a conversation without that school.
    assert all(c.source != "brochure.pdf" for c in service.answer("keuzevak robotica robotlab").citations)
