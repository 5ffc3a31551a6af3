"""Claims Koers must never make up: money amounts and opleidingscodes (crebo). Shared by checks and evals."""

from __future__ import annotations

import re

# Five-digit codes the domain brief verifies: opleidingscodes 25919 (Technicus engineering), 25309 and 25310
# (Technicus service en onderhoud), dossier 23371 (Engineering). Any other five-digit number is treated as an
# invented code until someone verifies it and adds it here with its source.
VERIFIED_CODES = frozenset({"25919", "23371", "25309", "25310"})
_CODE = re.compile(r"(?<!\d)(?<!\d[.,])\d{5}(?!\d|[.,]\d)")
_MONEY = re.compile(r"€\s?\d|\d\s?(euro|eur)\b", re.IGNORECASE)


def unverified_codes(text: str) -> list[str]:
    return sorted(set(_CODE.findall(text)) - VERIFIED_CODES)


def states_money_amount(text: str) -> bool:
    return bool(_MONEY.search(text))
