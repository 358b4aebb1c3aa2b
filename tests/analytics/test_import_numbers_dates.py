"""Numbers and dates as people type them: named cases, then properties over many generated values."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analytics.importing.dates import DateError, parse_date
from analytics.importing.numbers import NumberError, decimal_evidence, parse_number


@pytest.mark.parametrize(("text", "mark", "expected"), [
    ("420 709,52", ".", "420709.52"),  # CE4BIG's budget as a Polish or French sheet writes it
    ("420\u00a0709,52", ".", "420709.52"),  # Excel's no-break space
    ("1.234,50", ".", "1234.50"),  # German: unambiguous whatever the file's mark
    ("1,234.50", ",", "1234.50"),  # English: idem
    ("1'234.50", ",", "1234.50"),  # Swiss
    ("1.234", ",", "1234"),  # ambiguous: the file's decimal comma makes the point a thousands mark
    ("1.234", ".", "1.234"),
    ("1,234", ".", "1234"),
    ("1,5", ".", "1.5"),  # one comma, not three digits: a decimal comma in any file
    ("0,500", ".", "0.500"),  # a leading zero is never grouped
    ("1.234.567", ".", "1234567"),
    ("-1.234,50 €", ",", "-1234.50"),
    ("(1.234,50)", ",", "-1234.50"),  # accounting brackets
    ("EUR 5", ".", "5"),
    ("\u22123", ".", "-3"),  # the typographic minus
    ("-0,00", ",", "0.00"),  # no negative zero
    ("1e-07", ".", "1e-7"),  # what an export writes for a tiny float
    ("007", ".", "007"),
])
def test_numbers_people_type(text, mark, expected):
    assert parse_number(text, mark) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("abc", "is not a number"),
    ("1.2.3", "has several . but they do not group thousands (1.234.567)"),
    ("1 23", "has a space that does not group thousands (write 420 709,52 or 420709.52)"),
    ("1,23.4", "has both . and , but not as thousands and decimal separators"),
    ("nan", "is not a finite number"),
    ("inf", "is not a finite number"),
    ("", "is not a number"),
])
def test_not_numbers(text, reason):
    with pytest.raises(NumberError, match=f"^{reason.replace('(', '.').replace(')', '.')}$"):
        parse_number(text, ".")


def test_a_file_that_writes_numbers_both_ways_refuses_only_the_ambiguous_shape():
    assert parse_number("1.234,50", None) == "1234.50"
    with pytest.raises(NumberError, match="could be 1234 or 1.234"):
        parse_number("1.234", None)


@pytest.mark.parametrize(("text", "mark"), [
    ("1.234,50", ","), ("1,234.50", "."), ("0.75", "."), ("3,5", ","), ("1.234.567", ","), ("420 709,52", ","),
    ("1.234", None), ("1,234", None), ("12", None), ("1e-07", None), ("x", None),
])
def test_decimal_evidence(text, mark):
    assert decimal_evidence(text) == mark


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)


def _grouped(whole: str, sep: str) -> str:
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ("-" if whole.startswith("-") else "") + sep.join(groups)


@given(amounts, st.sampled_from(["plain.", "plain,", "de", "en", "fr", "ch"]))
@example(Decimal("420709.52"), "fr")
@example(Decimal("-0.01"), "de")
def test_every_amount_reads_back_exactly_in_every_style(amount, style):
    whole, _, cents = f"{amount:.2f}".partition(".")
    written = {
        "plain.": f"{whole}.{cents}", "plain,": f"{whole},{cents}",
        "de": f"{_grouped(whole, '.')},{cents}", "en": f"{_grouped(whole, ',')}.{cents}",
        "fr": f"{_grouped(whole, ' ')},{cents}", "ch": f"{_grouped(whole, chr(39))}.{cents}",
    }[style]
    mark = "," if style in ("plain,", "de", "fr") else "."
    assert Decimal(parse_number(written, mark)) == amount


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_reads_back_from_its_shortest_text(value):
    assert float(parse_number(repr(value), ".")) == value


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_integers_read_the_same_whatever_the_mark(value):
    assert int(parse_number(str(value), ".")) == value == int(parse_number(str(value), ","))


@given(st.text(max_size=20))
@settings(max_examples=500)
def test_any_text_is_a_number_or_a_reason(text):
    """Never a crash, never a silent misreading: a canonical number or NumberError."""
    try:
        result = parse_number(text, ".")
    except NumberError as exc:
        assert str(exc)
    else:
        Decimal(result)  # parses: the canonical form is always valid


@given(st.text(alphabet="0123456789.,- ", max_size=12))
def test_proven_marks_do_not_depend_on_the_file(text):
    """A value that proves its decimal mark reads the same in a comma file and in a point file."""
    if decimal_evidence(text) is not None:
        assert Decimal(parse_number(text, ".")) == Decimal(parse_number(text, ","))


@pytest.mark.parametrize(("text", "expected"), [
    ("2021-03-04", date(2021, 3, 4)),
    ("04.03.2021", date(2021, 3, 4)),
    ("04/03/2021", date(2021, 3, 4)),  # day first, as in Europe
    ("4-3-2021", date(2021, 3, 4)),
    ("4.3.2021", date(2021, 3, 4)),
    ("2021/03/04", date(2021, 3, 4)),
    ("2021.03.04.", date(2021, 3, 4)),  # Hungarian
    ("2021-03-04 00:00:00", date(2021, 3, 4)),  # a database export of a date
    ("2021-03-04T00:00", date(2021, 3, 4)),
    (" 2021-03-04 ", date(2021, 3, 4)),
])
def test_dates_people_type(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("03/25/2021", "has month 25: dates are read day first (DD.MM.YYYY), so write 03.25.2021 as 25.03.2021"),
    ("31.02.2021", "is not a date: there is no day 31 in month 2 of 2021"),
    ("04.03.21", "has a two-digit year: write the year with four digits (04.03.2021)"),
    ("2021-03-04 13:30", "has a time of day; a date is expected (e.g. 2021-03-04)"),
    ("March 4th", "is not a date (write 2021-03-04, 04.03.2021 or 04/03/2021, day first)"),
])
def test_not_dates(text, reason):
    with pytest.raises(DateError) as exc:
        parse_date(text)
    assert str(exc.value) == reason


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days, st.sampled_from(["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"]))
def test_every_day_reads_back_in_every_format(day, fmt):
    assert parse_date(day.strftime(fmt)) == day


@given(days)
def test_unpadded_day_first(day):
    assert parse_date(f"{day.day}.{day.month}.{day.year}") == day


@given(st.text(max_size=25))
@settings(max_examples=500)
def test_any_text_is_a_date_or_a_reason(text):
    try:
        parse_date(text)
    except DateError as exc:
        assert str(exc)
