"""HTTP API (FastAPI). The web layer only translates: request model -> one service call -> response model."""

from bot.api.app import create_app

__all__ = ["create_app"]
