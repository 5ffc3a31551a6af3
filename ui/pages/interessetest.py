"""The interest quiz: 20 statements, about three minutes; the result as a chart and a message for the chat."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.charts import horizontal_bars
from ui.client import ApiUnavailable, call
from ui.common import api_url


def main() -> None:
    st.set_page_config(page_title="Koers: interessetest", page_icon="🧭")
    st.title("Wat vind jij leuk?")
    st.caption("20 korte zinnen, ongeveer 3 minuten. Er zijn geen goede of foute antwoorden.")
    if result := st.session_state.get("quiz_result"):
        show_result(result)  # in place of the statements, so the student sees it without scrolling
        return
    try:
        quiz = call("GET", api_url(), "/v1/quiz").json()
    except ApiUnavailable as exc:
        st.error(str(exc))
        return
    scale = {int(value): label for value, label in quiz["answers"].items()}
    with st.form("quiz"):
        answers: dict[str, int | None] = {}
        for statement in quiz["statements"]:
            answers[statement["id"]] = st.radio(
                statement["text"], list(scale), format_func=scale.__getitem__, horizontal=True, index=None
            )
        done = st.form_submit_button("Bekijk je uitslag")
    if done and (result := score(answers)):
        st.session_state["quiz_result"] = result
        st.rerun()


def score(answers: dict[str, int | None]) -> dict[str, Any] | None:
    """The API's scores of a complete quiz; None (with a message why) otherwise."""
    given = {key: value for key, value in answers.items() if value is not None}
    if len(given) < len(answers):
        st.warning(
            f"Je hebt {len(answers) - len(given)} zinnen nog niet beantwoord. Kies bij elke zin een antwoord."
        )
        return None
    body = {"answers": given, "class_token": st.session_state.get("class_token")}
    try:
        result: dict[str, Any] = call("POST", api_url(), "/v1/quiz", json=body).json()
    except ApiUnavailable as exc:
        st.error(str(exc))
        return None
    return result


def show_result(result: dict[str, Any]) -> None:
    """The scores as a chart, and a button that asks Koers in the chat what fits them."""
    st.subheader("Jouw uitslag")
    horizontal_bars(
        {score["name"]: score["score"] for score in result["scores"]}, axis_title="Past bij jou", counts=False
    )
    if result["top"]:
        st.success(f"Dit past het meest bij jou: {' en '.join(result['top'])}.")
        if st.button("Vraag Koers wat daarbij past", type="primary"):
            st.session_state["pending"] = result["message"]  # the chat page asks it as the student's message
            st.switch_page("pages/chat.py")
    else:
        st.info("Er springt nog niets uit. Praat met je mentor of probeer een meeloopdag.")
    st.button("Doe de test opnieuw", on_click=st.session_state.pop, args=("quiz_result", None))


main()
