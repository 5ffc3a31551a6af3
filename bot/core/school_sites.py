"""What a school sets for the chat widget on its own website: name, allowed origins, colour, greeting, texts.

A school admin writes these in one YAML file (``KOERS_API__SCHOOLS_FILE``, default ``schools.yaml``)::

    schools:
      - id: de-wissel
        name: Vmbo De Wissel
        allowed_origins: ["https://www.dewissel.nl"]
        colour: "#0b5cad"
        greeting: Hoi! Ik help je kiezen na het vmbo. Wat vind je leuk?
        texts: {title: Keuzehulp De Wissel}

Everything here is public (``GET /v1/schools/{id}/widget-config``) except ``allowed_origins``, which the API
uses for CORS. Secrets do not belong here: admin keys are hashed in their own store (``koers admin``), and the
offered profielen are set through the admin API. Without a file, Koers knows one school, ``demo``, which
only its own pages (the demo page) may use.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, Field, StringConstraints, ValidationError, field_validator

from bot.core.errors import ConfigError, describe_validation_error
from bot.core.schemas import SCHOOL_ID

DEMO_SCHOOL = "demo"
# Texts of the widget a school may replace, with Koers's own words. The widget shows exactly these keys.
WIDGET_TEXTS: dict[str, str] = {
    "title": "Koers: kies je route",
    "open": "Open de keuzehulp",
    "close": "Sluiten",
    "placeholder": "Typ je vraag…",
    "send": "Versturen",
    "new_chat": "Nieuw gesprek",
    "privacy": "Dit gesprek is anoniem. Noem geen namen of adressen.",
    "sources": "Bronnen",
    "routes": "Routes die passen",
    "route_path": "Een route die bij je past",
    "thumbs_up": "Goed antwoord",
    "thumbs_down": "Geen goed antwoord",
    "thanks": "Bedankt voor je reactie!",
    "thinking": "Koers zoekt het op…",
    "error": "Er ging iets mis. Probeer het zo nog eens.",
}
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
_COLOUR = r"^#[0-9a-fA-F]{6}$"


class SchoolSite(BaseModel):
    """One school's widget settings."""

    id: Annotated[str, StringConstraints(pattern=SCHOOL_ID, max_length=100)]
    name: str = Field(min_length=1, max_length=100, description="The school's name as students know it.")
    allowed_origins: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Web origins whose pages may embed the widget, e.g. 'https://www.dewissel.nl'.",
    )
    colour: str = Field(default="#0b5cad", pattern=_COLOUR, description="Theme colour of the widget.")
    greeting: str = Field(
        default="Hoi! Ik help je een route te kiezen na het vmbo. Wat vind je leuk om te doen?",
        max_length=300,
    )
    texts: dict[str, Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=dict, description="Widget texts to replace (keys as in WIDGET_TEXTS)."
    )

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, origins: list[str]) -> list[str]:
        cleaned = [origin.strip().rstrip("/").lower() for origin in origins]
        wrong = [origin for origin in cleaned if not _ORIGIN.match(origin)]
        if wrong:
            raise ValueError(
                f"geen geldige origin: {', '.join(wrong)}. Schrijf ze als 'https://www.school.nl', "
                "zonder pad of '/' aan het eind"
            )
        return cleaned

    @field_validator("texts")
    @classmethod
    def _known_texts(cls, texts: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(texts) - set(WIDGET_TEXTS))
        if unknown:
            raise ValueError(f"onbekende tekst(en): {', '.join(unknown)}; kies uit {', '.join(WIDGET_TEXTS)}")
        return texts

    def widget_texts(self) -> dict[str, str]:
        return {**WIDGET_TEXTS, **self.texts}


class _File(BaseModel):
    schools: list[SchoolSite] = Field(default_factory=list)


DEMO = SchoolSite(id=DEMO_SCHOOL, name="Demoschool")


class SchoolSites:
    """The schools of this server, read once from the YAML file."""

    def __init__(self, sites: list[SchoolSite]) -> None:
        self._by_id = {site.id: site for site in sites}
        self._by_id.setdefault(DEMO_SCHOOL, DEMO)

    @classmethod
    def load(cls, path: Path | None) -> SchoolSites:
        """Read ``path``; a missing file means only the demo school. A broken file raises ConfigError that
        names the file and the line or field, so the admin can fix it."""
        if path is None or not path.exists():
            return cls([])
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            parsed = _File.model_validate(raw)
        except yaml.YAMLError as exc:
            raise ConfigError(
                f"{path} is geen geldige YAML: {exc}. Controleer inspringing en dubbele punten."
            ) from exc
        except ValidationError as exc:
            raise ConfigError(f"{path} klopt niet: {describe_validation_error(exc)}") from exc
        ids = [site.id for site in parsed.schools]
        twice = sorted({school for school in ids if ids.count(school) > 1})
        if twice:
            raise ConfigError(f"{path}: deze school staat er meer dan één keer in: {', '.join(twice)}.")
        return cls(parsed.schools)

    def get(self, school: str) -> SchoolSite | None:
        return self._by_id.get(school)

    def origins(self) -> list[str]:
        """Every origin some school allows: the CORS list of the API."""
        return sorted({origin for site in self._by_id.values() for origin in site.allowed_origins})

    def allows(self, school: str | None, origin: str) -> bool:
        """May a page on ``origin`` ask Koers for ``school`` (or, without a school, for any school)?"""
        origin = origin.rstrip("/").lower()
        if school is None:
            return origin in self.origins()
        site = self._by_id.get(school)
        return site is not None and origin in site.allowed_origins
