"""`koers corpus review`: unverified and old claims become a checklist a decaan can work through."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.corpus_check import check_corpus
from ingest.review import render_review, review_corpus
from tests.conftest import CORPUS


def test_the_review_lists_unverified_claims_old_sources_and_stale_documents(tmp_path: Path) -> None:
    (tmp_path / "lassen.md").write_text(
        '---\nid: lassen\ntitle: "Lassen"\nkind: beroep\n'
        'controleren: ["Of lassers op niveau 3 beginnen"]\n'
        'bronnen:\n  - titel: "UWV: kansen in de techniek (2012)"\n    url: "https://uwv.nl/x"\n'
        "bijgewerkt: 2026-11-28\n---\n# Lassen\n\n"
        + "Een lasser maakt metaal vast met warmte. " * 30
        + "\n\nIn 2012 werkten er veel lassers. Of dat nog zo is, weten we niet zeker.\n",
        encoding="utf-8",
    )
    today = dt.date(2027, 1, 15)
    (review,) = review_corpus(check_corpus(tmp_path), today)
    assert review.source == "lassen.md"
    assert review.items == [
        "Niet bevestigd: Of lassers op niveau 3 beginnen",
        "Bron uit 2012, ouder dan 5 jaar: UWV: kansen in de techniek (2012) (https://uwv.nl/x)",
        'Cijfer of feit uit 2012: "In 2012 werkten er veel lassers."',
        'Onzeker in de tekst: "Of dat nog zo is, weten we niet zeker."',
    ]
    (stale,) = review_corpus(check_corpus(tmp_path), today + dt.timedelta(days=800))
    assert stale.items[-1] == "Laatst gecontroleerd op 28-11-2026: controleer het hele document"


def test_the_review_is_a_markdown_checklist_with_a_count() -> None:
    check = check_corpus(CORPUS)
    reviews = review_corpus(check, dt.date(2026, 12, 2))
    page = render_review(reviews, len(check.docs), dt.date(2026, 12, 2))
    assert page.startswith("# Corpus review")
    assert page.count("- [ ] ") == sum(len(r.items) for r in reviews) > 0
    assert "hulp/stress-over-kiezen.md" in page  # its 2015 figure is older than five years
    assert "## routes.yaml (`route graph`)" in page  # opleidingen whose niveaus no source confirmed
