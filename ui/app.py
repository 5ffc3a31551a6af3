"""Koers in Streamlit: the pages of the app. Every page talks HTTP to the Koers API and holds no logic of its
own (`koers ui`, `koers run`)."""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("pages/chat.py", title="Chat", icon="💬", default=True),
    st.Page("pages/interessetest.py", title="Interessetest", icon="🧩", url_path="interessetest"),
    st.Page("pages/klas.py", title="Doe mee met je klas", icon="🙋", url_path="klas"),
    st.Page("pages/mentor.py", title="Voor mentoren", icon="🧑‍🏫", url_path="mentor"),
]

st.navigation(PAGES).run()
