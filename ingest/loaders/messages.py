"""What a school admin reads when a file cannot be ingested: short Dutch, and what to do about it.

The report prefixes each message with the file name, so no message repeats it.
"""

from __future__ import annotations

SUPPORTED_LIST = ".md, .txt, .pdf, .docx, .html"
EMPTY = "het bestand is leeg"
BINARY = "dit lijkt geen tekstbestand (binaire inhoud)"
CORRUPT = "het bestand is beschadigd en kan niet worden gelezen"
UNREADABLE = "het bestand kan niet worden geopend; controleer of het er nog is en of je het mag lezen"
PDF_PASSWORD = "de PDF is beveiligd met een wachtwoord; sla hem op zonder wachtwoord"
PDF_PROTECTED = "de PDF is beveiligd; sla hem op zonder beveiliging"
PDF_NO_TEXT = "geen tekst gevonden; gescande PDF's worden nog niet ondersteund"


def unsupported(suffix: str) -> str:
    if not suffix:
        return f"bestanden zonder extensie worden niet ondersteund (wel: {SUPPORTED_LIST})"
    return f"bestandstype {suffix} wordt niet ondersteund (wel: {SUPPORTED_LIST})"


def too_large(size: str, limit: str) -> str:
    return f"het bestand is te groot ({size}; de grens is {limit})"


def read_as(encoding: str) -> str:
    return f"tekst gelezen als {encoding}"


def replaced(count: int) -> str:
    tekens = "teken kon" if count == 1 else "tekens konden"
    return f"{count} {tekens} niet worden gelezen en staan er nu als \ufffd; sla het bestand op als UTF-8"


def unpacks_too_large(limit: str) -> str:
    return (
        f"het bestand pakt uit tot veel meer dan het lijkt (meer dan {limit} of 100 keer zo groot); "
        "zo'n bestand kan een aanval zijn. Sla het opnieuw op of splits het op"
    )


def too_much_text(limit: int) -> str:
    count = f"{limit:,}".replace(",", ".")
    return f"het bestand bevat meer dan {count} tekens tekst; splits het op in kleinere bestanden"


def too_slow(seconds: float) -> str:
    return (
        f"het lezen duurde langer dan {seconds:g} seconden en is gestopt; "
        "sla het bestand opnieuw op (bijvoorbeeld als PDF) of splits het op"
    )


TOO_HEAVY = (
    "het lezen kostte te veel geheugen en is gestopt; sla het bestand opnieuw op (bijvoorbeeld als PDF) "
    "of splits het op"
)


def other_school(declared: str, tenant: str) -> str:
    if not tenant:
        return (
            f"de kop van het bestand noemt school '{declared}', maar dit is de landelijke informatie; "
            f"voeg het toe als die school (met haar sleutel of koers ingest --school {declared})"
        )
    return (
        f"de kop van het bestand noemt school '{declared}', maar je voegt het toe voor '{tenant}'; "
        "haal de regel 'school:' uit de kop of gebruik de sleutel van die school"
    )
