"""Numbers as people type them in European spreadsheets: "420 709,52", "1.234,50", "1,234.50".

A number is turned into one canonical text (``-1234.5``, ``1e-07``) that Python's float, int and
Decimal all read exactly, so an amount never passes through a binary float on its way in.

The only truly ambiguous shape is one separator followed by exactly three digits ("1.234",
"1,234"): a thousands separator in one locale, a decimal mark in another. The file decides: the
importer first looks for values that prove which mark is the decimal one (``decimal_evidence``),
and passes that mark to ``parse_number``. Every other shape means the same in every locale and is
read the same whatever the file's mark.

Accepted: a leading + or - (also the typographic minus), accounting brackets "(1.234,50)" for a
negative amount, the euro sign or EUR before or after, thousands grouped by spaces (also the
no-break and thin spaces Excel and LibreOffice write) or apostrophes (Swiss), scientific notation
("1e-07", what an export writes for very small or large floats). Rejected with a reason: anything
else, and infinities and NaN.
"""
from __future__ import annotations

import re

SPACE_MARKS = " \u00a0\u202f\u2009'\u2019"  # only ever group thousands, never a decimal mark
_MINUS = "-\u2212\u2013"
_CURRENCY = re.compile(r"^(?:€|eur)\s*|\s*(?:€|eur)$", re.IGNORECASE | re.ASCII)
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)  # the common case, checked first: nothing to rewrite
_DIGITS = re.compile(r"\d+", re.ASCII)
_SPACED = re.compile(rf"\d{{1,3}}(?:[{SPACE_MARKS}]\d{{3}})+(?:[.,]\d+)?", re.ASCII)
_EXPONENT = re.compile(r"(\d*)(?:([.,])(\d+))?[eE]([+-]?\d{1,3})", re.ASCII)


class NumberError(ValueError):
    """The text is not a number; the message says why, for a person."""


def _isdigits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts "²" and "٣", which no number parser reads."""
    return bool(_DIGITS.fullmatch(text))


def _other(mark: str) -> str:
    return "," if mark == "." else "."


def _split(body: str) -> tuple[str, str, str | None]:
    """(integer digits, fraction digits, the mark used as decimal or None when ambiguous).

    ``body`` is unsigned, has no exponent and no spaces. For the ambiguous "1.234" the digits are
    returned for the decimal reading and the caller decides.
    """
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        whole, _, frac = body.rpartition(decimal)
        groups = whole.split(_other(decimal))
        if len(groups) < 2 or not _grouped(groups) or not _isdigits(frac) or decimal in whole:
            raise NumberError("has both . and , but not as thousands and decimal separators")
        return "".join(groups), frac, decimal
    mark = "." if dots else "," if commas else None
    if mark is None:
        if not _isdigits(body):
            raise NumberError("is not a number")
        return body, "", None
    parts = body.split(mark)
    if len(parts) > 2:  # 1.234.567: the mark groups thousands, so the other one is the decimal
        if not _grouped(parts):
            raise NumberError(f"has several {mark} but they do not group thousands (1{mark}234{mark}567)")
        return "".join(parts), "", _other(mark)
    whole, frac = parts
    if not _isdigits(frac) or (whole and not _isdigits(whole)):
        raise NumberError("is not a number")
    if len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        return whole, frac, None  # "1.234": thousands or decimal, the file decides
    return whole or "0", frac, mark


def _grouped(groups: list[str]) -> bool:
    first, rest = groups[0], groups[1:]
    return (1 <= len(first) <= 3 and _isdigits(first) and not (first.startswith("0") and len(first) > 1)
            and all(len(g) == 3 and _isdigits(g) for g in rest))


def _strip_sign(text: str) -> tuple[str, bool]:
    s = _CURRENCY.sub("", text.strip())
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, _CURRENCY.sub("", s[1:-1].strip())
    if s[:1] in _MINUS:
        negative, s = not negative, s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    return _CURRENCY.sub("", s), negative


def _canonical(negative: bool, whole: str, frac: str, exponent: str = "") -> str:
    whole = whole.lstrip("0") or "0"
    zero = not exponent and set(whole + frac) <= {"0"}
    text = whole + (f".{frac}" if frac else "") + (f"e{exponent}" if exponent else "")
    return text if zero or not negative else f"-{text}"


def parse_number(text: str, decimal: str | None = ".") -> str:
    """The canonical form of a number written with ``decimal`` as the file's decimal mark.

    ``decimal`` None: the file writes numbers both ways, so "1.234" cannot be read at all.
    """
    if _PLAIN.fullmatch(text) and (decimal == "." or "." not in text):
        return text
    s, negative = _strip_sign(text)
    if not s:
        raise NumberError("is not a number")
    if s.lower() in ("inf", "infinity", "nan"):
        raise NumberError("is not a finite number")
    exp = _EXPONENT.fullmatch(s)
    if exp:
        whole, _mark, frac, power = exp.groups()
        if not (whole or frac):
            raise NumberError("is not a number")
        return _canonical(negative, whole, frac or "", str(int(power)))
    if any(c in SPACE_MARKS for c in s):
        if not _SPACED.fullmatch(s):
            raise NumberError("has a space that does not group thousands (write 420 709,52 or 420709.52)")
        digits = re.sub(f"[{SPACE_MARKS}]", "", s)
        whole, _, frac = digits.replace(",", ".").partition(".")
        return _canonical(negative, whole, frac)
    whole, frac, mark = _split(s)
    if mark is None and frac:  # the ambiguous "1.234"
        if decimal is None:
            raise NumberError(f"could be {whole}{frac} or {whole}.{frac}: this file writes numbers both "
                              "as 1.234,50 and as 1,234.50; write this one without a thousands separator")
        if decimal != s[len(whole)]:
            whole, frac = whole + frac, ""
    return _canonical(negative, whole, frac)


def decimal_evidence(text: str) -> str | None:
    """The decimal mark a value proves the file uses ("1.234,50" proves ","), or None."""
    s, _negative = _strip_sign(text)
    if not s or _EXPONENT.fullmatch(s):
        return None
    if any(c in SPACE_MARKS for c in s):
        tail = s.rstrip("0123456789")
        return tail[-1] if _SPACED.fullmatch(s) and tail[-1:] in (".", ",") else None
    try:
        return _split(s)[2]
    except NumberError:
        return None
