"""Canonical route labels (the kinds corpus/README.md lists) and their plain Dutch names.

A label is ``kind:value``. Kinds with a closed set of values are checked against it; ``mbo:`` (a
kwalificatie or dossier name) and ``lob:`` (an activity) are open, but must not be empty.
"""

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
TECHNICAL_PROFIELEN = ("BWI", "PIE", "M&T", "MaT", "MVI", "D&P")
MBO_DOMEINEN = (
    "Bouw en infra",
    "Installatie- en elektrotechniek",
    "Mobiliteit en voertuigen",
    "ICT",
    "Media en vormgeving",
    "Maritiem en logistiek",
    "Procestechniek",
    "Engineering",
    "Metaal en metalektro",
)
CLOSED_VALUES: dict[str, tuple[str, ...]] = {
    "vmbo": (*PROFIELEN, "TL-techniek", "PGP"),
    "vmbo-leerweg": ("BB", "KB", "GL", "TL"),
    "mbo-niveau": ("1", "2", "3", "4"),
    "mbo-leerweg": ("BOL", "BBL"),
    "mbo-domein": MBO_DOMEINEN,
    "route": ("doorlopende leerroute", "vakmanschapsroute", "technologieroute", "havo", "stapelen"),
}
OPEN_KINDS = ("mbo", "lob")
# The kinds that are steps of a route a student can take: a vmbo profiel, an mbo domein, an mbo opleiding.
ROUTE_STEP_KINDS = frozenset({"vmbo", "mbo-domein", "mbo"})
LABEL_KINDS = (*CLOSED_VALUES, *OPEN_KINDS)
NONE_LABEL = "none"  # eval sets: the question is out of scope or a safety case


def kind_of(label: str) -> str:
    return label.split(":", 1)[0]


def value_of(label: str) -> str:
    return label.split(":", 1)[1] if ":" in label else label


def label_problem(label: str) -> str | None:
    """Why ``label`` is not canonical, or None when it is."""
    if ":" not in label:
        return f"'{label}' has no kind (expected e.g. 'vmbo:PIE')"
    kind, value = kind_of(label), value_of(label)
    if kind not in LABEL_KINDS:
        return f"'{label}': unknown kind '{kind}' (known: {', '.join(LABEL_KINDS)})"
    if not value.strip() or value != value.strip():
        return f"'{label}': empty value or stray spaces"
    allowed = CLOSED_VALUES.get(kind)
    if allowed is not None and value not in allowed:
        return f"'{label}': '{value}' is not one of {', '.join(allowed)}"
    return None


def is_canonical(label: str) -> bool:
    return label_problem(label) is None


# What a kind of route is called on a route card (the app and the widget show it from the API).
KIND_NAMES = {
    "vmbo": "Profiel",
    "vmbo-leerweg": "Leerweg",
    "mbo-domein": "Richting in het mbo",
    "mbo": "Opleiding",
    "mbo-niveau": "Niveau",
    "mbo-leerweg": "BOL of BBL",
    "route": "Route",
    "lob": "Ontdekken",
    "beroep": "Beroep",
}


def is_profiel(label: str) -> bool:
    """Whether ``label`` is one of the ten vmbo profielen ("vmbo:PIE"); "vmbo:PGP" and "vmbo:TL-techniek" are
    vmbo labels, not profielen."""
    return kind_of(label) == "vmbo" and value_of(label) in PROFIELEN


def display_name(label: str) -> str:
    """'vmbo:M&T' -> 'Mobiliteit en transport (M&T)'; other labels show their value."""
    value = value_of(label)
    if is_profiel(label):
        name = PROFIELEN[value]
        return name if name == value else f"{name} ({value})"  # "Groen", not "Groen (Groen)"
    if kind_of(label) == "mbo-niveau":
        return f"mbo niveau {value}"
    return value
