"""The mentor's page: sign in with the school's mentor code, start a class session, follow its anonymous
dashboard live, export it, end it. Everything comes from the API; this page only shows it."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote as url_quote

import segno
import streamlit as st

from ui.charts import horizontal_bars
from ui.client import ApiUnavailable, call
from ui.common import api_url, public_api_url, public_ui_url

REFRESH_S = 10
LEERWEGEN = ["", "BB", "KB", "GL", "TL"]


def sign_in() -> str | None:
    code: str | None = st.session_state.get("mentor_code")
    if code:
        return code
    with st.form("sign-in"):
        typed = st.text_input("Mentorcode", type="password", help="Je krijgt hem van de beheerder van Koers.")
        if not st.form_submit_button("Inloggen"):
            return None
    try:
        call("GET", api_url(), "/v1/classes", token=typed.strip())
    except ApiUnavailable as exc:
        st.error(str(exc))
        return None
    st.session_state["mentor_code"] = typed.strip()
    st.rerun()  # the page without the sign-in form
    return None


def sign_out() -> None:
    for key in ("mentor_code", "class_id"):
        st.session_state.pop(key, None)


def start_form(code: str, *, first: bool) -> None:
    with st.expander("Nieuwe les starten", expanded=first):
        with st.form("start"):
            name = st.text_input("Naam van de les", value="LOB-les", max_chars=100)
            klas = st.text_input("Klas", max_chars=20, placeholder="3B")
            leerweg = st.selectbox("Leerweg", LEERWEGEN, format_func=lambda v: v or "gemengd / weet ik niet")
            minutes = st.number_input("Minuten", min_value=10, max_value=240, value=50, step=5)
            if not st.form_submit_button("Start de les"):
                return
        if not klas.strip():
            st.error("Vul de klas in.")
            return
        body = {"name": name, "klas": klas.strip(), "leerweg": leerweg or None, "minutes": int(minutes)}
        try:
            info = call("POST", api_url(), "/v1/classes", json=body, token=code).json()
        except ApiUnavailable as exc:
            st.error(str(exc))
            return
        st.session_state["class_id"] = info["id"]
        st.rerun()  # show the new lesson's board


def counts(title: str, rows: list[dict[str, Any]]) -> None:
    st.subheader(title)
    if not rows:
        st.caption("Nog niets.")
        return
    horizontal_bars({row["label"]: row["count"] for row in rows}, axis_title="Aantal keer")


@st.cache_data(max_entries=20)  # the board refreshes every few seconds; the code stays the same
def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def join_board(join_code: str) -> None:
    """What the mentor puts on the board: the code to type, and a QR code that opens the join page with it."""
    link = f"{public_ui_url()}/klas?code={url_quote(join_code)}"
    left, right = st.columns([2, 1])
    left.markdown(f"Leerlingen gaan naar **Doe mee met je klas** in Koers en typen deze code:\n# {join_code}")
    left.caption(f"Of ze scannen de QR-code. Die opent {link}")
    right.image(qr_png(link), caption="Scan om mee te doen", width=180, output_format="PNG")


def lesson_plans() -> None:
    """The LOB lesson plans of the corpus, whole and in order."""
    try:
        plans = call("GET", api_url(), "/v1/lessons").json()
    except ApiUnavailable as exc:
        st.error(str(exc))
        return
    if not plans:
        st.info(
            "Er staan nog geen lesplannen in Koers. De beheerder kan ze toevoegen als documenten met "
            "'kind: les'."
        )
        return
    st.caption("Lesplannen voor LOB, om met Koers in de klas te gebruiken.")
    for plan in plans:
        with st.expander(plan["title"]):
            for section in plan["sections"]:
                if section["heading"] and section["heading"] != plan["title"]:
                    st.markdown(f"#### {section['heading']}")
                st.markdown(section["text"])
            st.markdown(f"[Open als pagina]({public_api_url()}/v1/sources/{url_quote(plan['doc_id'])})")


@st.fragment(run_every=REFRESH_S)
def dashboard(code: str, class_id: str) -> None:
    try:
        board = call("GET", api_url(), f"/v1/classes/{class_id}", token=code).json()
    except ApiUnavailable as exc:
        st.error(str(exc))
        return
    info = board["session"]
    st.header(f"{info['name']} ({info['klas']})", anchor=False)
    if info["open"]:
        join_board(info["join_code"])
    else:
        st.warning("Deze les is afgelopen. Er kan niemand meer bij.")
    st.metric("Leerlingen die meedoen", board["participants"])
    counts("Waar de klas nieuwsgierig naar is", board["interests"])
    counts("Uitslagen van de interessetest", board["types"])
    counts("Routes die Koers het vaakst noemde", board["routes"])
    counts("Soorten vragen", board["topics"])
    st.subheader("Vragen die Koers niet kon beantwoorden")
    st.caption("Bespreek ze samen. Persoonlijke gegevens zijn eruit gehaald.")
    for question in board["unanswered"] or ["(nog geen)"]:
        st.markdown(f"- {question}")


def actions(code: str, class_id: str) -> None:
    left, right = st.columns(2)
    for column, fmt, label, mime in (
        (left, "csv", "Download als CSV", "text/csv"),
        (right, "md", "Download als Markdown", "text/markdown"),
    ):
        try:
            data = call("GET", api_url(), f"/v1/classes/{class_id}/export", token=code, format=fmt).text
        except ApiUnavailable as exc:
            st.error(str(exc))
            return
        column.download_button(label, data, file_name=f"koers-les.{fmt}", mime=mime)
    if st.button("Les beëindigen", type="primary"):
        try:
            call("POST", api_url(), f"/v1/classes/{class_id}/end", token=code)
        except ApiUnavailable as exc:
            st.error(str(exc))
            return
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="Koers voor mentoren", page_icon="🧭", layout="wide")
    st.title("Koers in de klas")
    st.caption("Je ziet alleen wat de klas samen vraagt: geen namen, geen gesprekken van één leerling.")
    code = sign_in()
    if code is None:
        return
    st.sidebar.button("Uitloggen", on_click=sign_out, icon=":material/logout:")
    lesson, plans = st.tabs(["Les in de klas", "Lesplannen"])
    with plans:
        lesson_plans()
    with lesson:
        class_session(code)


def class_session(code: str) -> None:
    """The board of the chosen lesson, then a form for a new one (open when there is no lesson yet)."""
    try:
        sessions = call("GET", api_url(), "/v1/classes", token=code).json()
    except ApiUnavailable as exc:
        st.error(str(exc))
        return
    if not sessions:
        st.info("Je hebt nog geen les. Start er hieronder een; je krijgt een code voor op het bord.")
        start_form(code, first=True)
        return
    ids = [s["id"] for s in sessions]
    current = st.session_state.get("class_id")
    chosen = st.selectbox(
        "Les",
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=lambda i: next(f"{s['name']} ({s['klas']})" for s in sessions if s["id"] == i),
    )
    st.session_state["class_id"] = chosen
    dashboard(code, chosen)
    actions(code, chosen)
    start_form(code, first=False)


main()
