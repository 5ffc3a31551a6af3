"""Canonical route labels (domain brief, section 9) and their plain Dutch names."""

from __future__ import annotations

PROFIELEN = {
    "BWI": "Bouwen, wonen en interieur",
    "PIE": "Produceren, installeren en energie",
    "M&T": "Mobiliteit en transport",
    "MaT": "Maritiem en techniek",
    "MVI": "Media, vormgeving en ict",
    "D&P": "Dienstverlening en producten",
    "Z&W": "Zorg en welzijn",
    "E&O": "Economie en ondernemen",
    "HBR": "Horeca, bakkerij en recreatie",
    "Groen": "Groen",
}
LABEL_KINDS = ("vmbo", "vmbo-leerweg", "mbo-niveau", "mbo-leerweg", "mbo", "mbo-domein", "route", "lob")


def kind_of(label: str) -> str:
    return label.split(":", 1)[0]


def value_of(label: str) -> str:
    return label.split(":", 1)[1] if ":" in label else label


def is_canonical(label: str) -> bool:
    return kind_of(label) in LABEL_KINDS and bool(value_of(label).strip())


def display_name(label: str) -> str:
    """'vmbo:M&T' -> 'Mobiliteit en transport (M&T)'; other labels show their value."""
    value = value_of(label)
    if kind_of(label) == "vmbo" and value in PROFIELEN:
        return f"{PROFIELEN[value]} ({value})"
    if kind_of(label) == "mbo-niveau":
        return f"mbo niveau {value}"
    return value
