"""Read a file's bytes within a size limit and turn text files into ``str``, whatever their encoding.

Encoding detection uses charset_normalizer, with one prior: Koers reads Dutch school documents, and a
non-UTF-8 Dutch file is nearly always Windows-1252. On short texts charset_normalizer alone often picks a
wrong code page that happens to decode the same bytes (cp1250 or cp775 for "café"), so a clean
Western-European cp1252 reading is preferred before asking it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from bot.core.errors import DocumentError
from ingest.loaders import messages

_MB, _KB = 1 << 20, 1 << 10
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Characters a cp1252 reading of Dutch (or French, German, English) text may contain beyond ASCII. Letters
# that mostly appear when another code page is misread as cp1252 (ð þ ý ¿ ³ ¹ æ µ) are left out on purpose.
_WESTERN = set(
    "àáâãäåçèéêëìíîïñòóôõöøùúûüÿœšžÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜŸŒŠŽß€£¥¢§©®°±×÷«»·½¼¾\xa0\xad‚„…†‡‰‹›‘’“”•–—˜™"  # noqa: RUF001 (typographic marks on purpose)
)
_MAX_CONTROL_SHARE = 0.05
_MAX_ACCENTED_SHARE = 0.25  # of all letters; Cyrillic or Greek read as cp1252 is nearly all "accented"


@dataclass(frozen=True)
class RawFile:
    data: bytes
    modified: dt.date


@dataclass(frozen=True)
class DecodedText:
    text: str  # line endings normalised to "\n"
    encoding: str | None  # None for UTF-8 (the expected case), else the codec that was used
    replaced: int = 0  # broken UTF-8 sequences replaced by "\ufffd"


def format_size(size: int, *, round_up: bool = False) -> str:
    """Dutch notation ("25,3 MB"); ``round_up`` so a file just over a limit never shows as equal to it."""
    for unit, factor in (("MB", _MB), ("kB", _KB)):
        if size >= factor:
            tenths = -(-size * 10 // factor) if round_up else (size * 10 + factor // 2) // factor
            whole, tenth = divmod(tenths, 10)
            return f"{whole},{tenth} {unit}" if tenth else f"{whole} {unit}"
    return f"{size} bytes"


def _too_large(size: int, max_bytes: int) -> str:
    return messages.too_large(format_size(size, round_up=True), format_size(max_bytes))


def read_file(path: Path, max_bytes: int) -> RawFile:
    """The file's bytes; the size is checked before reading, so a huge file costs nothing."""
    try:
        stat = path.stat()
        if stat.st_size == 0:
            raise DocumentError(messages.EMPTY)
        if stat.st_size > max_bytes:
            raise DocumentError(_too_large(stat.st_size, max_bytes))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(messages.UNREADABLE) from exc
    if len(data) > max_bytes:  # it grew after stat()
        raise DocumentError(_too_large(len(data), max_bytes))
    if not data:
        raise DocumentError(messages.EMPTY)
    return RawFile(data=data, modified=dt.date.fromtimestamp(stat.st_mtime))


def _looks_western(text: str) -> bool:
    if _CONTROL.search(text):
        return False
    letters = sum(1 for char in text if char.isalpha())
    accented = 0
    for char in text:
        if char.isascii():
            continue
        if char not in _WESTERN:
            return False
        accented += char.isalpha()
    return accented <= _MAX_ACCENTED_SHARE * max(letters, 1)


def _guess(data: bytes) -> tuple[str, str] | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_western(text):
            return text, "cp1252"
    for match in from_bytes(data):
        if not match.encoding.startswith(("utf_16", "utf_32")):  # without a BOM and NULs these are noise
            return str(match), match.encoding
    return None


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """The text read as UTF-8 with replacement, when the bytes are UTF-8 with a few broken sequences.

    Valid multi-byte sequences almost never occur by chance in a single-byte file (cp1252 "é" is one byte
    followed by ASCII), so more valid non-ASCII characters than broken sequences means UTF-8 with damage,
    and any single-byte guess would garble every accented letter of the file."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for char in text if ord(char) > 0x7F) - broken
    return (text, broken) if valid > broken else None


def decode_text(data: bytes) -> DecodedText:
    """UTF-8 (BOM stripped) when possible, also with a few broken bytes; else the detected encoding. Binary
    or blank input is an error."""
    encoding: str | None = None
    replaced = 0
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, encoding = data.decode(codec, errors="replace"), codec
            break
    else:
        if b"\x00" in data:
            raise DocumentError(messages.BINARY)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            damaged = _mostly_utf8(data)
            guess = None if damaged else _guess(data)
            if damaged:
                text, replaced = damaged
            elif guess:
                text, encoding = guess
            else:
                raise DocumentError(messages.BINARY) from None
    if len(_CONTROL.findall(text)) + text.count("\ufffd") > _MAX_CONTROL_SHARE * len(text):
        raise DocumentError(messages.BINARY)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(messages.EMPTY)
    return DecodedText(text=text, encoding=encoding, replaced=replaced)
