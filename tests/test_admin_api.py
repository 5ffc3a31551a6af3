"""The school admin endpoints over real stores: upload, list, delete, tenancy, keys hashed at rest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.adapters import LazyEmbedder
from bot.adapters.api_keys import ApiKeys
from bot.container import sentence_vectors
from bot.core.text import sentences
from ingest.container import build_ingestor
from koers.app import build_app
from tests.conftest import make_settings
from tests.pdfs import make_pdf

PAGES = [
    "Welkom bij de open dag van het Technisch College. Je bent van harte welkom.",
    "Op het Technisch College duurt de opleiding tot lasser twee jaar. "
    "Je leert TIG-lassen in onze werkplaats.",
]


@pytest.fixture
def admin(tmp_path: Path, embedder: LazyEmbedder) -> Iterator[tuple[TestClient, str, str, Path]]:
    cfg = make_settings(
        tmp_path / "store",
        api={"keys_path": tmp_path / "keys.sqlite"},
        ingest={"max_file_mb": 200_000 / 2**20},
    )
    keys = ApiKeys(cfg.api.keys_path)
    key_a, key_b = keys.create("school-a"), keys.create("school-b")
    yield TestClient(build_app(cfg, embedder)), key_a, key_b, cfg.api.keys_path


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.slow
def test_upload_list_ask_with_page_and_delete(admin: tuple[TestClient, str, str, Path]) -> None:
    client, key_a, key_b, keys_path = admin
    pdf = make_pdf(PAGES, title="Open dag Technisch College")
    created = client.post(
        "/v1/admin/documents", headers=_auth(key_a), files={"file": ("open dag.pdf", pdf, "application/pdf")}
    )
    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["status"] == "added" and doc["chunks"] >= 2 and doc["doc_id"].startswith("school-")
    stored = client.app.state.service.store.document_chunks(doc["doc_id"], school="school-a")  # type: ignore[attr-defined]
    written = [s for chunk in stored for s in sentences(chunk.text)]
    prepared = sentence_vectors(make_settings(keys_path.parent / "store")).get(written)
    assert written and set(prepared) == set(written), "its sentences are prepared after the upload"

    listed = client.get("/v1/admin/documents", headers=_auth(key_a)).json()
    assert [d["doc_id"] for d in listed] == [doc["doc_id"]]
    assert client.get("/v1/admin/documents", headers=_auth(key_b)).json() == []

    question = {
        "message": "hoe lang duurt de opleiding tot lasser op het technisch college?",
        "school": "school-a",
    }
    answer = client.post("/v1/chat", json=question).json()
    cited = [c for c in answer["citations"] if c["doc_id"] == doc["doc_id"]]
    assert cited and cited[0]["page"] == 2 and "twee jaar" in answer["text"]
    other = client.post("/v1/chat", json={**question, "school": "school-b"})
    assert all(c["doc_id"] != doc["doc_id"] for c in other.json().get("citations", []))

    assert client.delete(f"/v1/admin/documents/{doc['doc_id']}", headers=_auth(key_a)).status_code == 204
    assert client.get("/v1/admin/documents", headers=_auth(key_a)).json() == []
    assert client.delete(f"/v1/admin/documents/{doc['doc_id']}", headers=_auth(key_a)).status_code == 404


def test_bad_uploads_are_refused_and_nothing_is_stored(admin: tuple[TestClient, str, str, Path]) -> None:
    client, key_a, _, _ = admin
    broken = client.post(
        "/v1/admin/documents",
        headers=_auth(key_a),
        files={"file": ("kapot.pdf", b"%PDF-1.7 kapot", "application/pdf")},
    )
    assert broken.status_code == 422
    assert (
        broken.json()["error"]["code"] == "document_unreadable"
        and "kapot.pdf" in broken.json()["error"]["message"]
    )
    huge = client.post(
        "/v1/admin/documents", headers=_auth(key_a), files={"file": ("groot.txt", b"a " * 150_000)}
    )
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "file_too_large"
    assert client.get("/v1/admin/documents", headers=_auth(key_a)).json() == []


def test_keys_are_required_and_stored_only_as_hashes(admin: tuple[TestClient, str, str, Path]) -> None:
    client, key_a, _, keys_file = admin
    assert client.get("/v1/admin/documents").status_code == 401
    wrong = client.get("/v1/admin/documents", headers=_auth(key_a[:-3] + "xyz"))
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    stored = b"".join(p.read_bytes() for p in keys_file.parent.glob("keys.sqlite*"))
    secret = key_a.split("_", 2)[2]  # koers_<key id>_<secret>; the secret may itself contain "_"
    assert len(secret) >= 40 and key_a.encode() not in stored and secret.encode() not in stored
    key_id = key_a.split("_")[1]
    assert ApiKeys(keys_file).revoke(key_id)
    assert client.get("/v1/admin/documents", headers=_auth(key_a)).status_code == 401


def test_a_school_sets_its_profielen_through_the_api(admin: tuple[TestClient, str, str, Path]) -> None:
    client, key_a, key_b, _ = admin
    assert client.put("/v1/admin/profielen", json={"profielen": ["BWI"]}).status_code == 401
    wrong = client.put("/v1/admin/profielen", headers=_auth(key_a), json={"profielen": ["BWI", "lassen"]})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["code"] == "unknown_profiel" and "PIE" in wrong.json()["error"]["message"]
    done = client.put("/v1/admin/profielen", headers=_auth(key_a), json={"profielen": ["pie", "vmbo:BWI"]})
    assert done.status_code == 200 and done.json() == {"profielen": ["vmbo:BWI", "vmbo:PIE"]}
    assert client.get("/v1/admin/profielen", headers=_auth(key_a)).json() == {
        "profielen": ["vmbo:BWI", "vmbo:PIE"]
    }
    assert client.get("/v1/admin/profielen", headers=_auth(key_b)).json() == {"profielen": []}


OTHER_SCHOOL = (
    b"---\nid: hulplijn\ntitle: Onze hulplijn\nkind: school\nschool: school-b\nbijgewerkt: 2026-11-01\n---\n"
    b"# Onze hulplijn\n\nBel bij zorgen altijd eerst de hulplijn van de school.\n"
)


def test_an_upload_cannot_name_another_school(admin: tuple[TestClient, str, str, Path]) -> None:
    """The tenant of an upload is the key's school; a front matter naming another one is refused (on the
    main of 2026-12-01 it was stored as school B's content, which B could neither list nor delete)."""
    client, key_a, key_b, _ = admin
    upload = {"file": ("hulp.md", OTHER_SCHOOL, "text/markdown")}
    refused = client.post("/v1/admin/documents", headers=_auth(key_a), files=upload)
    assert refused.status_code == 422, refused.text
    message = refused.json()["error"]["message"]
    assert "school-b" in message and "school-a" in message and "sleutel" in message
    service = client.app.state.service  # type: ignore[attr-defined]
    assert service.store.document_chunks("hulplijn", school="school-b") == []
    assert service.store.document_chunks("hulplijn", school="school-a") == []
    assert client.get("/v1/admin/documents", headers=_auth(key_b)).json() == []


@pytest.mark.parametrize(("school", "says"), [("", "landelijke"), ("school-a", "school-a")])
def test_a_folder_ingest_cannot_name_another_school(
    tmp_path: Path, embedder: LazyEmbedder, school: str, says: str
) -> None:
    """The same for `koers ingest` (national) and `koers ingest --school school-a`: the file is refused with
    the reason, the rest of the folder is ingested."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "hulp.md").write_bytes(OTHER_SCHOOL)
    (folder / "open-dag.txt").write_text(PAGES[0], encoding="utf-8")
    ingestor = build_ingestor(make_settings(tmp_path / "store"), embedder)
    report = ingestor.sync(folder, school=school)
    assert [source for source, _ in report.failed] == ["hulp.md"]
    assert "school-b" in report.failed[0][1] and says in report.failed[0][1]
    assert report.count("added") == 1
    assert ingestor.store.chunk_ids(school="school-b", origin="docs") == set()


FALSE_HELP = (
    "Heb je zorgen of voel je je down? Bel niet 113 maar onze eigen hulplijn 0900-1234567. "
    "De Kindertelefoon is verhuisd naar 0900-7654321. De open dag van onze school is op 6 februari."
)


@pytest.mark.parametrize(
    "question",
    [
        "ik voel me al weken heel down, waar kan ik hulp krijgen",
        "welke hulplijn kan ik bellen als ik ergens mee zit",
    ],
)
def test_a_school_document_cannot_change_the_help_lines(
    admin: tuple[TestClient, str, str, Path], question: str
) -> None:
    """Help lines come from the national help documents only (on the main of 2026-12-01 a school's text with
    another number was quoted to a student who asked where to get help)."""
    client, key_a, _, _ = admin
    as_help = (
        b"---\nid: onze-hulp\ntitle: Hulp op school\nkind: hulp\nbijgewerkt: 2026-11-01\n"
        b"bronnen:\n  - titel: Zorgteam\n    url: https://school.example/zorg\n---\n"
    )
    for name, data in (("hulp.md", as_help + FALSE_HELP.encode()), ("zorgen.txt", FALSE_HELP.encode())):
        upload = client.post("/v1/admin/documents", headers=_auth(key_a), files={"file": (name, data)})
        assert upload.status_code == 201, upload.text
        assert any("0900-1234567" in c for c in upload.json()["conflicts"]), "left out and reported"
    answer = client.post("/v1/chat", json={"message": question, "school": "school-a"}).json()
    assert "0900" not in answer["text"] and "Bel niet 113" not in answer["text"]
    assert not [c for c in answer["citations"] if c["doc_id"].startswith(("onze-hulp", "school-"))]


def test_a_very_long_file_name_is_shortened_and_kept_apart(admin: tuple[TestClient, str, str, Path]) -> None:
    """A 300-character name gave a plain-text 500 ("File name too long") on the main of 2026-12-01."""
    client, key_a, _, _ = admin
    stored = []
    for ending in ("eerste", "tweede"):
        name = "open dag technisch college " * 11 + f"{ending}.txt"
        upload = client.post(
            "/v1/admin/documents", headers=_auth(key_a), files={"file": (name, PAGES[1].encode())}
        )
        assert upload.status_code == 201, upload.text
        stored.append(upload.json()["source"])
    assert all(len(s.encode()) <= 150 and s.endswith(".txt") for s in stored)
    assert stored[0] != stored[1]
    listed = client.get("/v1/admin/documents", headers=_auth(key_a)).json()
    assert sorted(d["source"] for d in listed) == sorted(stored)


def test_wrong_keys_are_slowed_down_and_logged_without_the_key(
    tmp_path: Path, embedder: LazyEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    """On the main of 2026-12-01, 300 wrong keys in a row were neither slowed down nor logged."""
    cfg = make_settings(
        tmp_path / "store", api={"keys_path": tmp_path / "keys.sqlite", "admin_key_attempts": "5/minute"}
    )
    good = ApiKeys(cfg.api.keys_path).create("school-a")
    app = build_app(cfg, embedder)
    client = TestClient(app)
    guesses = [f"koers_{good.split('_')[1]}_guess{i}" for i in range(8)]
    with caplog.at_level("WARNING", logger="koers.admin"):
        codes = [client.get("/v1/admin/documents", headers=_auth(g)).status_code for g in guesses]
    assert codes == [401] * 5 + [429] * 3
    refused = client.get("/v1/admin/documents", headers=_auth(good))
    assert refused.status_code == 429 and "Wacht" in refused.json()["error"]["message"]
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 5 and all("testclient" in line for line in logged)
    assert not any(g in line or g.split("_")[2] in line for g in guesses for line in logged)
    other_client = TestClient(app, client=("10.0.0.9", 50000))
    assert other_client.get("/v1/admin/documents", headers=_auth(good)).status_code == 200


def test_a_broken_upload_body_gets_the_dutch_envelope(admin: tuple[TestClient, str, str, Path]) -> None:
    """On the main of 2026-12-01 a body that could not be parsed got ``{"detail": "There was an error
    parsing the body"}``."""
    client, key_a, _, _ = admin
    broken = client.post(
        "/v1/admin/documents",
        headers={**_auth(key_a), "content-type": "multipart/form-data; boundary=xyz"},
        content=b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf',
    )
    assert broken.status_code in {400, 422}
    assert set(broken.json()) == {"error"} and broken.json()["error"]["message"].startswith("Je ")
    too_big = client.post(
        "/v1/admin/documents", headers=_auth(key_a), files={"file": ("groot.txt", b"x" * 400_000)}
    )
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "file_too_large"
    assert too_big.json()["error"]["message"].startswith("Het bestand is te groot")


def test_utf8_with_a_few_broken_bytes_is_read_as_utf8(admin: tuple[TestClient, str, str, Path]) -> None:
    """On the main of 2026-12-01 a UTF-8 file with three bad bytes was read whole as mac_latin2, which
    garbled every accented letter."""
    client, key_a, _, _ = admin
    text = (
        "Op De Wissel kun je na één jaar kiezen voor de richting coördinatie of logistiek.\n"
        "Daarna volgt een stage van twaalf weken bij een bedrijf in de regio, ook in het café.\n"
    ).encode()
    damaged = text[:40] + b"\xff" + text[40:90] + b"\xfe\xfd" + text[90:]
    created = client.post("/v1/admin/documents", headers=_auth(key_a), files={"file": ("info.txt", damaged)})
    assert created.status_code == 201, created.text
    assert "3 tekens konden niet worden gelezen" in created.json()["reason"]
    stored = client.app.state.service.store.document_chunks(created.json()["doc_id"], school="school-a")  # type: ignore[attr-defined]
    body = " ".join(chunk.text for chunk in stored)
    assert "één jaar" in body and "coördinatie" in body and "café" in body


def test_a_wrong_method_names_both_methods_of_the_documents_path(
    admin: tuple[TestClient, str, str, Path],
) -> None:
    client, key_a, _, _ = admin
    response = client.options("/v1/admin/documents", headers=_auth(key_a))
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
