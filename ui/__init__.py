"""Streamlit chat page. It talks to the Koers HTTP API only; nothing imports this package."""
