"""The public API a school's website uses: widget settings, origins (CORS), rate limits, security headers,
feedback, source pages and readiness; over the real service, store and model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.adapters.database import open_database
from bot.adapters.feedback import FeedbackStore
from bot.api import create_app
from bot.api.errors import INTERNAL_ERROR
from bot.api.protect import RateLimits
from bot.core.errors import ConfigError
from bot.core.school_sites import SchoolSites
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage

SCHOOL_SITE = "https://www.dewissel.nl"
OTHER_SITE = "https://www.andereschool.nl"
SCHOOLS_YAML = f"""
schools:
  - id: de-wissel
    name: Vmbo De Wissel
    allowed_origins: ["{SCHOOL_SITE}"]
    colour: "#aa3300"
    greeting: Hoi, ik ben de keuzehulp van De Wissel.
    texts: {{title: Keuzehulp De Wissel}}
  - id: andere-school
    name: De Andere School
    allowed_origins: ["{OTHER_SITE}"]
"""
QUESTION = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


@pytest.fixture
def sites(tmp_path: Path) -> SchoolSites:
    path = tmp_path / "schools.yaml"
    path.write_text(SCHOOLS_YAML, encoding="utf-8")
    return SchoolSites.load(path)


def client_for(
    service: ChatService, sites: SchoolSites, feedback: FeedbackStore | None = None, **limits: str
) -> TestClient:
    rate_limits = RateLimits(limits.get("conversation", "20/minute"), limits.get("client", "300/minute"))
    return TestClient(create_app(service, sites=sites, feedback=feedback, rate_limits=rate_limits))


def test_widget_config_is_public_and_holds_no_origins_or_keys(
    service: ChatService, sites: SchoolSites
) -> None:
    body = client_for(service, sites).get("/v1/schools/de-wissel/widget-config").json()
    assert body["name"] == "Vmbo De Wissel" and body["colour"] == "#aa3300"
    assert body["texts"]["title"] == "Keuzehulp De Wissel"  # the school's own text
    assert body["texts"]["new_chat"] == "Nieuw gesprek"  # Koers's default for the rest
    assert "allowed_origins" not in body and SCHOOL_SITE not in json.dumps(body)


def test_an_unknown_school_gets_a_dutch_error(service: ChatService, sites: SchoolSites) -> None:
    response = client_for(service, sites).get("/v1/schools/bestaat-niet/widget-config")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_school"
    assert "schools.yaml" in response.json()["error"]["message"]


def test_the_schools_page_gets_cors_headers_and_an_answer(service: ChatService, sites: SchoolSites) -> None:
    client = client_for(service, sites)
    preflight = client.options(
        "/v1/chat/stream",
        headers={"Origin": SCHOOL_SITE, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SCHOOL_SITE
    response = client.post(
        "/v1/chat", json={"message": QUESTION, "school": "de-wissel"}, headers={"Origin": SCHOOL_SITE}
    )
    assert response.status_code == 200 and response.json()["citations"]
    assert response.headers["access-control-allow-origin"] == SCHOOL_SITE


def test_a_page_elsewhere_gets_no_answer(service: ChatService, sites: SchoolSites) -> None:
    client = client_for(service, sites)
    evil = "https://evil.example"
    preflight = client.options("/v1/chat", headers={"Origin": evil, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    # A browser would not send it after that preflight; a forged request still gets no answer.
    response = client.post(
        "/v1/chat", json={"message": QUESTION, "school": "de-wissel"}, headers={"Origin": evil}
    )
    assert response.status_code == 403 and "access-control-allow-origin" not in response.headers
    assert response.json()["error"]["code"] == "origin_not_allowed" and "text" not in response.json()
    # Another school's site may not use De Wissel's Koers either.
    other = client.post(
        "/v1/chat", json={"message": QUESTION, "school": "de-wissel"}, headers={"Origin": OTHER_SITE}
    )
    assert other.status_code == 403


def test_koers_own_pages_and_clients_without_a_browser_may_ask(
    service: ChatService, sites: SchoolSites
) -> None:
    client = client_for(service, sites)
    same_origin = client.post("/v1/chat", json={"message": QUESTION}, headers={"Origin": "http://testserver"})
    assert same_origin.status_code == 200
    assert client.post("/v1/chat", json={"message": QUESTION}).status_code == 200  # curl, the Streamlit app


def test_a_conversation_over_its_rate_limit_is_asked_to_wait(
    service: ChatService, sites: SchoolSites
) -> None:
    client = client_for(service, sites, conversation="2/minute")
    ask = {"message": "hoi", "conversation_id": "gesprek-a"}
    assert [client.post("/v1/chat", json=ask).status_code for _ in range(2)] == [200, 200]
    refused = client.post("/v1/chat/stream", json=ask)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["message"].startswith(
        "Je stuurt veel berichten snel achter elkaar. Wacht "
    )
    # Another conversation from the same address (a classmate behind the school's router) goes on.
    assert client.post("/v1/chat", json={**ask, "conversation_id": "gesprek-b"}).status_code == 200


def test_a_client_over_its_rate_limit_is_asked_to_wait(service: ChatService, sites: SchoolSites) -> None:
    client = client_for(service, sites, client="3/minute")
    codes = [client.post("/v1/chat", json={"message": "hoi", "conversation_id": f"c{i}"}).status_code
             for i in range(4)]  # fmt: skip
    assert codes == [200, 200, 200, 429]


def test_every_kind_of_response_has_its_security_headers(service: ChatService, sites: SchoolSites) -> None:
    client = client_for(service, sites)
    api = client.get("/health")
    assert api.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert api.headers["x-content-type-options"] == "nosniff" and api.headers["x-frame-options"] == "DENY"
    error = client.get("/bestaat-niet")
    assert error.status_code == 404 and "frame-ancestors 'none'" in error.headers["content-security-policy"]
    script = client.get("/widget.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"  # school pages load it
    assert "content-security-policy" not in script.headers
    demo = client.get("/demo/de-wissel")
    assert "script-src 'self'" in demo.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in demo.headers["content-security-policy"]
    assert 'data-school="de-wissel"' in demo.text and "http://testserver/widget.js" in demo.text


def test_the_widget_script_is_small_and_fetches_only_from_its_server(
    service: ChatService, sites: SchoolSites
) -> None:
    script = client_for(service, sites).get("/widget.js").text
    assert len(script.encode()) < 40 * 1024
    targets = re.findall(r"fetch\(([^,)]+)", script)
    assert targets and all(target.startswith("`${API}/v1/") for target in targets), targets


def test_feedback_is_stored_scrubbed_and_without_the_message(
    service: ChatService, sites: SchoolSites, tmp_path: Path
) -> None:
    store = FeedbackStore(open_database(f"sqlite:///{tmp_path}/koers.sqlite"), scrub=scrub_for_storage)
    client = client_for(service, sites, feedback=store)
    answer = client.post("/v1/chat", json={"message": QUESTION, "school": "de-wissel"}).json()
    assert len(answer["answer_id"]) == 32
    sent = client.post(
        "/v1/feedback",
        json={
            "answer_id": answer["answer_id"],
            "rating": "down",
            "comment": "Klopt niet, mail me op sam.de.vries@example.nl of bel 0612345678",
            "school": "de-wissel",
            "routes": answer["routes"][:3],
            "sources": [c["doc_id"] for c in answer["citations"]],
        },
        headers={"Origin": SCHOOL_SITE},
    )
    assert sent.status_code == 201 and sent.json() == {"status": "saved"}
    [stored] = store.list("de-wissel")
    assert stored.rating == "down" and stored.answer_id == answer["answer_id"]
    assert "example.nl" not in stored.comment and "0612345678" not in stored.comment
    assert stored.comment.startswith("Klopt niet")
    raw = (tmp_path / "koers.sqlite").read_bytes()
    assert b"scooters" not in raw, "the student's message is never stored with feedback"


def test_feedback_must_be_well_formed_and_come_from_an_allowed_page(
    service: ChatService, sites: SchoolSites, tmp_path: Path
) -> None:
    store = FeedbackStore(open_database(f"sqlite:///{tmp_path}/koers.sqlite"), scrub=scrub_for_storage)
    client = client_for(service, sites, feedback=store)
    good = {"answer_id": "a" * 32, "rating": "up", "school": "de-wissel"}
    wrong = client.post("/v1/feedback", json={**good, "rating": "super"})
    assert (
        wrong.status_code == 422
        and "'rating' moet een van deze waarden zijn" in wrong.json()["error"]["message"]
    )
    elsewhere = client.post("/v1/feedback", json=good, headers={"Origin": "https://evil.example"})
    assert elsewhere.status_code == 403
    assert store.list() == []


def test_a_citation_links_to_a_page_with_the_quote_marked(service: ChatService, sites: SchoolSites) -> None:
    client = client_for(service, sites)
    citation = client.post("/v1/chat", json={"message": QUESTION}).json()["citations"][0]
    page = client.get(f"/v1/sources/{citation['doc_id']}", params={"quote": citation["quote"]})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    marked = page.text.split('<mark id="citaat">', 1)[1].split("</mark>", 1)[0]
    assert marked.replace("&#x27;", "'").replace("&amp;", "&") == citation["quote"]
    assert f"<h1>{citation['title'].replace('&', '&amp;')}</h1>" in page.text


def test_a_source_page_escapes_what_it_shows(service: ChatService, sites: SchoolSites) -> None:
    client = client_for(service, sites)
    page = client.get("/v1/sources/profiel-mt", params={"quote": "<script>alert(1)</script>"})
    assert page.status_code == 200 and "<script>" not in page.text
    assert "Het geciteerde stuk staat niet meer precies zo in dit document." in page.text
    missing = client.get("/v1/sources/bestaat-niet")
    assert missing.status_code == 404 and "Deze bron is er niet (meer)" in missing.text


def test_ready_checks_the_store_and_the_model(service: ChatService, sites: SchoolSites) -> None:
    body = client_for(service, sites).get("/ready").json()
    assert body == {"status": "ready", "checks": {"store": True, "model": True}}


def test_the_stream_ends_with_an_answer_id(service: ChatService, sites: SchoolSites) -> None:
    with client_for(service, sites).stream("POST", "/v1/chat/stream", json={"message": QUESTION}) as response:
        lines = list(response.iter_lines())
    done = lines[lines.index("event: done") + 1]
    assert len(json.loads(done.removeprefix("data: "))["answer_id"]) == 32


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("schools: [{id: x, name: X, allowed_origins: ['www.x.nl']}]", "geen geldige origin: www.x.nl"),
        ("schools: [{id: x, name: X, texts: {titel: Hoi}}]", "onbekende tekst(en): titel"),
        ("schools: [{id: X!, name: X}]", "schools.0.id"),
        ("schools: [{id: x, name: X}, {id: x, name: Y}]", "meer dan één keer in: x"),
        ("schools: [{id: x, name: X", "geen geldige YAML"),
    ],
)
def test_a_broken_schools_file_names_what_to_fix(tmp_path: Path, yaml_text: str, expected: str) -> None:
    path = tmp_path / "schools.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        SchoolSites.load(path)
    assert str(path) in caught.value.message and expected in caught.value.message


def test_the_documented_example_schools_file_loads() -> None:
    sites = SchoolSites.load(Path(__file__).parent.parent / "docs" / "schools.example.yaml")
    site = sites.get("de-wissel")
    assert site is not None and sites.allows("de-wissel", "https://www.dewissel.nl")
    assert site.widget_texts()["title"] == "Keuzehulp De Wissel"


def test_a_wrong_method_names_every_method_of_the_path(service: ChatService, sites: SchoolSites) -> None:
    response = client_for(service, sites).delete("/v1/chat")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_bug_gets_the_error_shape_and_reveals_nothing(service: ChatService, sites: SchoolSites) -> None:
    app = create_app(service, sites=sites)

    @app.get("/kapot")
    def broken() -> None:
        raise RuntimeError("system prompt: je bent Koers; KOERS_COMPOSER__API_KEY=geheim")

    response = TestClient(app, raise_server_exceptions=False).get("/kapot")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": INTERNAL_ERROR}}
    assert "geheim" not in response.text and "prompt" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_demo_page_of_an_unknown_school_says_what_to_do(service: ChatService, sites: SchoolSites) -> None:
    response = client_for(service, sites).get("/demo/bestaat-niet")
    assert response.status_code == 404 and "Deze school kent Koers niet" in response.text
    assert "schools.yaml" in response.text
