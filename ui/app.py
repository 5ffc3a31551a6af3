"""Koers in Streamlit: the pages of the app. Every page talks HTTP to the Koers API and holds no logic of its
own (`koers ui`, `koers run`)."""

from __future__ import annotations

import streamlit as st

# The url paths are fixed: the join QR code opens /klas, and the README names /interessetest and /mentor.
PAGES = [
    st.Page("pages/chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page(
        "pages/interessetest.py", title="Interessetest", icon=":material/quiz:", url_path="interessetest"
    ),
    st.Page("pages/klas.py", title="Doe mee met je klas", icon=":material/groups:", url_path="klas"),
    st.Page("pages/mentor.py", title="Voor mentoren", icon=":material/school:", url_path="mentor"),
]

st.navigation(PAGES).run()
