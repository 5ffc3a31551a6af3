"""Join a class session with the code on the board; no name needed."""

from __future__ import annotations

import streamlit as st

from ui.client import ApiUnavailable, call
from ui.common import api_url


def main() -> None:
    st.set_page_config(page_title="Koers: doe mee met je klas", page_icon="🧭")
    st.title("Doe mee met je klas")
    st.caption(
        "Je hoeft geen naam in te vullen. Je mentor ziet alleen wat de hele klas vraagt, niet wie wat vraagt."
    )
    if lesson := st.session_state.get("class_name"):
        joined_lesson(lesson)
    with st.form("join"):
        code = st.text_input(
            "Code van het bord",
            value=st.query_params.get("code", ""),  # the QR code on the board opens this page with the code
            max_chars=12,
            placeholder="bijvoorbeeld K7MZ2Q",
        )
        joined = st.form_submit_button("Meedoen")
    if not joined:
        return
    if not code.strip():
        st.error("Vul de code in die je mentor op het bord laat zien.")
        return
    try:
        info = call("POST", api_url(), "/v1/classes/join", json={"code": code.strip()}).json()
    except ApiUnavailable as exc:
        st.error(str(exc))
        return
    st.session_state["class_token"] = info["class_token"]
    st.session_state["class_name"] = f"{info['name']} ({info['klas']})"
    st.rerun()  # show that the student is in, above the form


def joined_lesson(lesson: str) -> None:
    st.success(f"Je doet mee met de les {lesson}. Ga naar de chat en stel je vragen.")
    left, right = st.columns(2)
    if left.button("Naar de chat", type="primary"):
        st.switch_page("pages/chat.py")
    if right.button("Doe de interessetest"):
        st.switch_page("pages/interessetest.py")


main()
