"""The student chat: Koers answers as it streams, with route cards, sources, next steps and thumbs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote as url_quote

import streamlit as st

from ui.client import AnswerStream, ApiUnavailable, chat_body, send_feedback
from ui.common import api_url, public_api_url

WELCOME = (
    "Hoi! Ik ben Koers. Ik help je ontdekken welke opleiding en welk werk bij je passen. "
    "Vertel me wat je leuk vindt, of stel een vraag over het vmbo of het mbo."
)
EXAMPLES = [
    "Ik vind sleutelen aan scooters leuk. Welk profiel past bij mij?",
    "Wat is het verschil tussen BOL en BBL?",
    "Welk mbo-niveau kan ik doen met kader?",
]
PRIVACY = (
    "Je hoeft niet in te loggen en Koers bewaart je gesprek niet. Doe je mee met een les? Dan ziet je "
    "mentor alleen wat de hele klas vraagt, zonder namen. Deel geen namen, adressen of telefoonnummers. "
    "Koers is een computerprogramma: bespreek belangrijke keuzes met je mentor of decaan."
)
CARDS_SHOWN = 3
THUMBS = {0: "down", 1: "up"}  # st.feedback("thumbs") gives 0 for thumbs down, 1 for up


def source_link(doc_id: str, quote: str = "") -> str:
    """The API's readable page of a document, scrolled to the quoted passage when there is one."""
    link = f"{public_api_url()}/v1/sources/{url_quote(doc_id)}"
    return f"{link}?quote={url_quote(quote)}#citaat" if quote else link


def show_card(card: dict[str, Any]) -> None:
    """One route: what kind of step, its name, its niveaus and where to read more."""
    with st.container(border=True):
        st.caption(card["kind"])
        st.markdown(f"**{card['name']}**")
        if card["niveaus"]:
            st.markdown("mbo-niveau " + " of ".join(str(n) for n in card["niveaus"]))
        if card["doc_id"]:
            st.markdown(f"[Lees meer]({source_link(card['doc_id'])})")


def show_route_cards(answer: dict[str, Any]) -> None:
    """The doorlopende leerroute (profiel -> opleiding -> beroep) when the answer has one, else the first
    routes."""
    path = answer.get("route_path") or []
    if path:
        st.caption("Een route die bij je past, van vmbo naar werk")
        widths = [1.0 if i % 2 == 0 else 0.12 for i in range(2 * len(path) - 1)]  # cards, arrows between
        columns = st.columns(widths, vertical_alignment="center")
        for index, card in enumerate(path):
            with columns[2 * index]:
                show_card(card)
            if index < len(path) - 1:
                columns[2 * index + 1].markdown("→")
        return
    cards = (answer.get("route_cards") or [])[:CARDS_SHOWN]
    if cards:
        st.caption("Routes die bij je vraag passen")
        for column, card in zip(st.columns(len(cards)), cards, strict=True):
            with column:
                show_card(card)


def show_sources(answer: dict[str, Any]) -> None:
    citations = answer.get("citations") or []
    if not citations:
        return
    with st.expander(f"Bronnen ({len(citations)})"):
        for c in citations:
            page = f", p. {c['page']}" if c.get("page") else ""
            links = [f"[Lees de bron]({source_link(c['doc_id'], c['quote'])})"]
            if c.get("url"):
                links.append(f"[Bron op internet]({c['url']})")
            quoted = "\n".join(f"> {line}" for line in c["quote"].splitlines())  # a list is several lines
            st.markdown(f"**[{c['number']}] {c['title']}{page}**\n\n{quoted}\n\n" + " · ".join(links))


def rate(answer: dict[str, Any]) -> None:
    """Send a thumbs up or down; the student sees a short thank-you, or why it did not work."""
    value = st.session_state.get(f"feedback-{answer['answer_id']}")
    if value is None:
        return
    try:
        send_feedback(api_url(), answer, THUMBS[value])
    except ApiUnavailable as exc:
        st.toast(str(exc))
        return
    st.toast("Bedankt voor je reactie!")


def show_answer(answer: dict[str, Any], *, text: bool = True) -> None:
    if text:
        st.markdown(answer["text"])
    show_route_cards(answer)
    show_sources(answer)
    if answer.get("answer_id"):
        st.feedback("thumbs", key=f"feedback-{answer['answer_id']}", on_change=rate, args=(answer,))


def ask_next(option: str) -> None:
    st.session_state["pending"] = option


def offer_next_steps(answer: dict[str, Any], turn: int) -> None:
    """Buttons under the latest answer: the choices of a clarifying question, else the follow-ups."""
    options = answer.get("choices") or answer.get("follow_up_questions") or []
    for index, option in enumerate(options):
        st.button(option, key=f"next-{turn}-{index}", on_click=ask_next, args=(option,))


def welcome() -> None:
    with st.chat_message("assistant"):
        st.markdown(WELCOME)
        st.markdown("Je kunt bijvoorbeeld vragen:")
        for index, example in enumerate(EXAMPLES):
            st.button(example, key=f"example-{index}", on_click=ask_next, args=(example,))


def new_conversation() -> None:
    """Forget this conversation; a class the student joined stays joined."""
    st.session_state["turns"] = []
    st.session_state.pop("pending", None)


def main() -> None:
    st.set_page_config(page_title="Koers", page_icon="🧭")
    st.title("Koers")
    st.caption("Jouw route van vmbo naar mbo en werk.")
    with st.expander("Privacy"):
        st.markdown(PRIVACY)
    if lesson := st.session_state.get("class_name"):
        st.info(
            f"Je doet mee met de les {lesson}. Je mentor ziet alleen wat de klas samen vraagt, "
            "niet jouw naam."
        )
    st.sidebar.button("Nieuw gesprek", on_click=new_conversation, icon=":material/edit_square:")

    turns: list[dict[str, Any]] = st.session_state.setdefault("turns", [])
    # Streamlit pins the chat input to the bottom wherever it is called; read it first, so that the welcome
    # does not show again above a question that was just asked.
    question = st.chat_input("Stel je vraag...") or st.session_state.pop("pending", None)
    if not turns and not question:
        welcome()
    for turn in turns:
        with st.chat_message(turn["role"]):
            if turn["role"] == "assistant" and "answer" in turn:
                show_answer(turn["answer"])
            else:
                st.markdown(turn["content"])

    if not question:
        if turns and "answer" in turns[-1]:
            offer_next_steps(turns[-1]["answer"], len(turns))
        return
    history = [{"role": t["role"], "content": t["content"]} for t in turns]
    turns.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        stream = AnswerStream(api_url(), chat_body(question, history, st.session_state.get("class_token")))
        try:
            with st.spinner("Even zoeken..."):
                st.write_stream(stream)
        except ApiUnavailable as exc:
            st.error(str(exc))
            turns.pop()
            return
        show_answer(stream.answer, text=False)
    turns.append({"role": "assistant", "content": stream.answer["text"], "answer": stream.answer})
    offer_next_steps(stream.answer, len(turns))


main()
