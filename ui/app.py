"""Koers chat page: a student asks, Koers answers with routes and sources (from the HTTP API)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.client import ApiUnavailable, ask
from ui.common import api_url

WELCOME = (
    "Hoi! Ik ben Koers. Ik help je ontdekken welke opleiding en welk werk bij je passen. "
    "Vertel me wat je leuk vindt, of stel een vraag over het vmbo of het mbo."
)
EXAMPLES = [
    "Ik vind sleutelen aan scooters leuk. Welk profiel past bij mij?",
    "Wat is het verschil tussen BOL en BBL?",
    "Welk mbo-niveau kan ik doen met kader?",
]


def show_answer(answer: dict[str, Any]) -> None:
    st.markdown(answer["text"])
    if answer.get("routes"):
        st.caption("Routes die passen: " + " · ".join(answer.get("route_names") or answer["routes"]))
    citations = answer.get("citations") or []
    if citations:
        with st.expander(f"Bronnen ({len(citations)})"):
            for c in citations:
                page = f", p. {c['page']}" if c.get("page") else ""
                link = f"  \n[Bron op internet]({c['url']})" if c.get("url") else ""
                st.markdown(f"**[{c['number']}] {c['title']}{page}**  \n> {c['quote']}{link}")


def offer_next_steps(answer: dict[str, Any]) -> None:
    """Buttons under the latest answer: the choices of a clarifying question, else the follow-ups."""
    options = answer.get("choices") or answer.get("follow_up_questions") or []
    for index, option in enumerate(options):
        if st.button(option, key=f"next-{len(st.session_state['turns'])}-{index}"):
            st.session_state["pending"] = option
            st.rerun()


def main() -> None:
    st.set_page_config(page_title="Koers", page_icon="🧭")
    st.title("Koers")
    st.caption("Jouw route van vmbo naar mbo en werk. Deel geen namen, adressen of telefoonnummers.")
    if lesson := st.session_state.get("class_name"):
        st.info(
            f"Je doet mee met de les {lesson}. Je mentor ziet alleen wat de klas samen vraagt, "
            "niet jouw naam."
        )
    api = api_url()

    turns: list[dict[str, Any]] = st.session_state.setdefault("turns", [])
    if not turns:
        with st.chat_message("assistant"):
            st.markdown(WELCOME)
            st.markdown("Je kunt bijvoorbeeld vragen:\n" + "\n".join(f"- {q}" for q in EXAMPLES))
    for turn in turns:
        with st.chat_message(turn["role"]):
            if turn["role"] == "assistant" and "answer" in turn:
                show_answer(turn["answer"])
            else:
                st.markdown(turn["content"])

    typed = st.chat_input("Stel je vraag...")
    question = typed or st.session_state.pop("pending", None)
    if not question:
        if turns and "answer" in turns[-1]:
            offer_next_steps(turns[-1]["answer"])
        return
    history = [{"role": t["role"], "content": t["content"]} for t in turns]
    turns.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            with st.spinner("Even zoeken..."):
                answer = ask(api, question, history, st.session_state.get("class_token"))
        except ApiUnavailable as exc:
            st.error(str(exc))
            turns.pop()
            return
        show_answer(answer)
    turns.append({"role": "assistant", "content": answer["text"], "answer": answer})
    offer_next_steps(answer)


main()
