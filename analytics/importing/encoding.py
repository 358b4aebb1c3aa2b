"""Which character encoding a CSV file is in: UTF-8 (with or without BOM), UTF-16, Windows-1250
(Central Europe: Polish, Czech, Slovak, Hungarian, Croatian, Slovenian) or Windows-1252/Latin-1
(Western Europe). The partner countries' spreadsheet programs write all of them.

UTF-8 is recognised for certain: text in another encoding practically never decodes as UTF-8.
Windows-1250 and Windows-1252 both decode any byte, so the choice between them is a judgement:
every word holding a non-ASCII byte is decoded both ways and the decoding that yields real words
wins. A real word has no symbol in the middle ("£ódŸ" is Łódź read as Windows-1252), no capital
after a small letter, and only letters that some European language uses together ("Dvořák"
is Czech; its Windows-1252 reading "Dvoøák" mixes Danish ø with Czech á). When both readings are
plausible (a file whose only accented word is "Liège" reads as "Ličge" in Windows-1250), the
Western reading wins; the page shows the detected encoding and lets the user choose another.

A file that is partly UTF-8 and partly something else (two exports pasted together) is refused,
row by row: guessing would corrupt one half whichever way we chose.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1250": "Windows-1250 (Central European)",
    "cp1252": "Windows-1252 / Latin-1 (Western European)",
    "latin-1": "Latin-1 (ISO 8859-1)",
}
CHOICES = ("utf-8", "cp1250", "cp1252", "latin-1")  # what a user may force on the page or CLI

# The non-ASCII letters each language writes, lower case: a word mixing letters from no single
# list is a misreading.
ALPHABETS = [set(a) for a in (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "àèéìíîòóù",  # Italian
    "àáâãçéêíóôõú",  # Portuguese
    "áéëïóöü",  # Dutch
    "æøåé",  # Danish, Norwegian
    "åäöé",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Slovenian, Bosnian
    "ăâîşţșț",  # Romanian
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
)]
_WORD = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")
_HIGH_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
_LATIN = re.compile(r"[\u00a0-\u024f\u1e00-\u1eff\u2010-\u20cf]")  # what UTF-8 text from Europe holds


class EncodingProblem(ValueError):
    """The bytes cannot be read as text; ``rows`` are the spreadsheet rows concerned."""

    def __init__(self, message: str, rows: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.rows = rows or []


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    detected: bool  # False when the user chose it

    @property
    def label(self) -> str:
        return LABELS.get(self.encoding, self.encoding)


def _plausibility(word: str) -> int:
    """+1 for a word a European language could write, negative for a misreading."""
    score = 0
    letters = set()
    previous = ""
    for ch in word:
        if ord(ch) < 128:
            previous = ch
            continue
        if "\u0080" <= ch <= "\u009f" or ch == "\ufffd":
            return -5  # control character or undefined byte: not text at all
        if not ch.isalpha():
            if len(word) > 1:
                score -= 3  # a symbol inside a word: "£ódŸ"
        else:
            if ch.isupper() and previous.islower():
                score -= 2  # "dŸ", "KrakĂłw"
            letters.add(ch.lower())
        previous = ch
    if letters:
        score += 1 if any(letters <= alphabet for alphabet in ALPHABETS) else -2
    return score


def _legacy(data: bytes) -> str:
    """Windows-1250 or Windows-1252, by which reading of the file's accented words is plausible."""
    words = set(_WORD.findall(data))
    scores = {enc: sum(_plausibility(w.decode(enc, errors="replace")) for w in words)
              for enc in ("cp1252", "cp1250")}
    return "cp1250" if scores["cp1250"] > scores["cp1252"] else "cp1252"


def _mixed_rows(data: bytes, *, declared_utf8: bool) -> tuple[str, list[tuple[int, str]]]:
    """(their likely encoding, the rows) of the rows that are not UTF-8 in a file where other rows
    (or a byte-order mark) are; no rows if the file is not mixed."""
    utf8, other = declared_utf8, []
    line, position = 1, 0
    for match in _HIGH_LINE.finditer(data):
        line += data.count(b"\n", position, match.start())
        position = match.start()
        raw = match.group().rstrip(b"\r")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            other.append((line, raw))
            continue
        utf8 = utf8 or all(_LATIN.match(ch) for ch in text if ord(ch) >= 128 and ch != "\ufeff")
    if not (utf8 and other):
        return "", []
    legacy = _legacy(b"\n".join(raw for _, raw in other))
    return legacy, [(n, raw.decode(legacy, errors="replace")) for n, raw in other]


def _strict(data: bytes, name: str, detected: bool) -> Decoded:
    try:
        return Decoded(data.decode(name), name, detected)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingProblem(
            f"byte 0x{data[exc.start]:02X} is not a character in {LABELS.get(name, name)}: the file is in "
            "another encoding or damaged; choose the encoding by hand or save the file again as UTF-8",
            [(line, "")]) from None


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """The text of a CSV file; ``encoding`` forces one, otherwise it is detected."""
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding:
        name = codecs.lookup(encoding).name
        return _strict(data[3:] if bom and name == "utf-8" else data, name, False)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", True)
    try:
        return Decoded(data[3:].decode("utf-8") if bom else data.decode("utf-8"), "utf-8-sig" if bom else "utf-8", True)
    except UnicodeDecodeError:
        pass
    legacy, mixed = _mixed_rows(data, declared_utf8=bom)
    if mixed:
        raise EncodingProblem(
            f"is in {LABELS[legacy]}, the rest of the file in UTF-8: the file mixes character encodings; "
            "save the whole file again as UTF-8 (in Excel: 'CSV UTF-8')", mixed)
    return _strict(data, _legacy(data), True)
