"""Tests of desktop_app.domain.money: integer rounding, prorating, splitting, formatting, amounts in words."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.money import (
    NBSP,
    amount_in_words,
    format_kopecks,
    plural_form,
    prorate,
    round_half_up,
    split_evenly,
)

MODERATE = settings(max_examples=200, deadline=None)

amounts = st.integers(min_value=0, max_value=10**12)
signed_amounts = st.integers(min_value=-(10**12), max_value=10**12)
nonzero = st.integers(min_value=-(10**6), max_value=10**6).filter(lambda value: value != 0)


def reference_round_half_up(value: Fraction) -> int:
    """Round an exact fraction to the nearest integer, halves away from zero."""
    magnitude = abs(value)
    rounded = math.floor(magnitude + Fraction(1, 2))
    return rounded if value >= 0 else -rounded


# ---------------------------------------------------------------- round_half_up


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        pytest.param(0, 7, 0, id="zero"),
        pytest.param(6, 3, 2, id="exact"),
        pytest.param(5, 2, 3, id="half-up"),
        pytest.param(7, 2, 4, id="half-up-odd"),
        pytest.param(1, 2, 1, id="one-half"),
        pytest.param(1, 3, 0, id="third-down"),
        pytest.param(2, 3, 1, id="two-thirds-up"),
        pytest.param(149, 100, 1, id="just-below-half"),
        pytest.param(150, 100, 2, id="exactly-half"),
        pytest.param(-5, 2, -3, id="negative-half-away-from-zero"),
        pytest.param(-1, 2, -1, id="negative-one-half"),
        pytest.param(-1, 3, 0, id="negative-third"),
        pytest.param(-2, 3, -1, id="negative-two-thirds"),
        pytest.param(5, -2, -3, id="negative-denominator"),
        pytest.param(-5, -2, 3, id="both-negative"),
        pytest.param(-7, -3, 2, id="both-negative-not-half"),
    ],
)
def test_round_half_up_table(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_up(numerator, denominator) == expected


def test_round_half_up_rejects_zero_denominator() -> None:
    with pytest.raises(ZeroDivisionError):
        round_half_up(1, 0)


@MODERATE
@given(numerator=signed_amounts, denominator=nonzero)
def test_round_half_up_matches_exact_fraction(numerator: int, denominator: int) -> None:
    assert round_half_up(numerator, denominator) == reference_round_half_up(Fraction(numerator, denominator))


@MODERATE
@given(numerator=signed_amounts, denominator=nonzero)
def test_round_half_up_is_odd_symmetric(numerator: int, denominator: int) -> None:
    assert round_half_up(-numerator, denominator) == -round_half_up(numerator, denominator)


@MODERATE
@given(quotient=st.integers(min_value=-(10**9), max_value=10**9), half=st.integers(min_value=1, max_value=10**6))
def test_round_half_up_exact_halves_go_away_from_zero(quotient: int, half: int) -> None:
    denominator = 2 * half
    numerator = quotient * denominator + (half if quotient >= 0 else -half)
    expected = quotient + 1 if quotient >= 0 else quotient - 1
    assert round_half_up(numerator, denominator) == expected


# ---------------------------------------------------------------- prorate


@pytest.mark.parametrize(
    ("amount", "part", "whole", "expected"),
    [
        pytest.param(1_000_000, 30, 30, 1_000_000, id="whole-period"),
        pytest.param(1_000_000, 0, 30, 0, id="nothing"),
        pytest.param(1_000_000, 15, 30, 500_000, id="half"),
        pytest.param(100, 1, 3, 33, id="third-down"),
        pytest.param(200, 1, 3, 67, id="third-up"),
        pytest.param(1, 1, 2, 1, id="half-kopeck-up"),
        pytest.param(3, 1, 2, 2, id="one-and-half-up"),
        pytest.param(0, 5, 9, 0, id="zero-amount"),
    ],
)
def test_prorate_table(amount: int, part: int, whole: int, expected: int) -> None:
    assert prorate(amount, part, whole) == expected


@pytest.mark.parametrize("whole", [0, -1, -365], ids=["zero", "minus-one", "minus-year"])
def test_prorate_rejects_non_positive_whole(whole: int) -> None:
    with pytest.raises(ValueError, match="whole must be positive"):
        prorate(100, 1, whole)


@MODERATE
@given(
    amount=amounts,
    whole=st.integers(min_value=1, max_value=4000),
    data=st.data(),
)
def test_prorate_matches_exact_fraction(amount: int, whole: int, data: st.DataObject) -> None:
    part = data.draw(st.integers(min_value=0, max_value=whole))
    result = prorate(amount, part, whole)
    assert result == reference_round_half_up(Fraction(amount * part, whole))
    assert 0 <= result <= amount
    assert abs(Fraction(result) - Fraction(amount * part, whole)) <= Fraction(1, 2)


# ---------------------------------------------------------------- split_evenly


@pytest.mark.parametrize(
    ("amount", "parts", "expected"),
    [
        pytest.param(100, 1, [100], id="one-part"),
        pytest.param(100, 3, [34, 33, 33], id="remainder-one"),
        pytest.param(101, 3, [35, 33, 33], id="remainder-two"),
        pytest.param(99, 3, [33, 33, 33], id="exact"),
        pytest.param(2, 3, [2, 0, 0], id="less-than-parts"),
        pytest.param(0, 4, [0, 0, 0, 0], id="zero"),
        pytest.param(1_000_000, 12, [83_337, *([83_333] * 11)], id="twelve-months"),
    ],
)
def test_split_evenly_table(amount: int, parts: int, expected: list[int]) -> None:
    assert split_evenly(amount, parts) == expected


@pytest.mark.parametrize("parts", [0, -1], ids=["zero", "negative"])
def test_split_evenly_rejects_non_positive_parts(parts: int) -> None:
    with pytest.raises(ValueError, match="parts must be positive"):
        split_evenly(100, parts)


def test_split_evenly_rejects_negative_amount() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        split_evenly(-1, 2)


@MODERATE
@given(amount=amounts, parts=st.integers(min_value=1, max_value=60))
def test_split_evenly_properties(amount: int, parts: int) -> None:
    shares = split_evenly(amount, parts)
    assert len(shares) == parts
    assert sum(shares) == amount
    floor_share = amount // parts
    assert shares[1:] == [floor_share] * (parts - 1)
    assert shares[0] == floor_share + amount % parts
    assert all(share >= 0 for share in shares)


# ---------------------------------------------------------------- format_kopecks


@pytest.mark.parametrize(
    ("kopecks", "expected"),
    [
        pytest.param(123450, "1\u00a0234,50\u00a0₽", id="thousands"),
        pytest.param(0, "0,00\u00a0₽", id="zero"),
        pytest.param(5, "0,05\u00a0₽", id="five-kopecks"),
        pytest.param(50, "0,50\u00a0₽", id="fifty-kopecks"),
        pytest.param(100, "1,00\u00a0₽", id="one-rouble"),
        pytest.param(99999, "999,99\u00a0₽", id="below-thousand"),
        pytest.param(100000, "1\u00a0000,00\u00a0₽", id="one-thousand"),
        pytest.param(123456789, "1\u00a0234\u00a0567,89\u00a0₽", id="millions"),
        pytest.param(100_000_000_00, "100\u00a0000\u00a0000,00\u00a0₽", id="hundred-millions"),
        pytest.param(-123450, "-1\u00a0234,50\u00a0₽", id="negative"),
        pytest.param(-5, "-0,05\u00a0₽", id="negative-kopecks"),
    ],
)
def test_format_kopecks_table(kopecks: int, expected: str) -> None:
    assert format_kopecks(kopecks) == expected


@pytest.mark.parametrize(
    ("kopecks", "expected"),
    [
        pytest.param(123450, "1\u00a0234,50", id="thousands"),
        pytest.param(7, "0,07", id="kopecks"),
        pytest.param(-100, "-1,00", id="negative"),
    ],
)
def test_format_kopecks_without_sign(kopecks: int, expected: str) -> None:
    assert format_kopecks(kopecks, with_sign=False) == expected


def test_format_kopecks_uses_no_break_spaces_only() -> None:
    text = format_kopecks(123456789)
    assert " " not in text
    assert text.count(NBSP) == 3


@MODERATE
@given(kopecks=signed_amounts)
def test_format_kopecks_round_trips(kopecks: int) -> None:
    text = format_kopecks(kopecks)
    assert text.endswith("\u00a0₽")
    number = text.removesuffix("\u00a0₽")
    assert format_kopecks(kopecks, with_sign=False) == number
    whole, fraction = number.split(",")
    assert len(fraction) == 2
    groups = whole.lstrip("-").split(NBSP)
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])
    sign = -1 if whole.startswith("-") else 1
    assert sign * (int("".join(groups)) * 100 + int(fraction)) == kopecks


# ---------------------------------------------------------------- plural_form


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        pytest.param(0, "рублей", id="0"),
        pytest.param(1, "рубль", id="1"),
        pytest.param(2, "рубля", id="2"),
        pytest.param(3, "рубля", id="3"),
        pytest.param(4, "рубля", id="4"),
        pytest.param(5, "рублей", id="5"),
        pytest.param(10, "рублей", id="10"),
        pytest.param(11, "рублей", id="11"),
        pytest.param(12, "рублей", id="12"),
        pytest.param(13, "рублей", id="13"),
        pytest.param(14, "рублей", id="14"),
        pytest.param(15, "рублей", id="15"),
        pytest.param(20, "рублей", id="20"),
        pytest.param(21, "рубль", id="21"),
        pytest.param(22, "рубля", id="22"),
        pytest.param(25, "рублей", id="25"),
        pytest.param(101, "рубль", id="101"),
        pytest.param(111, "рублей", id="111"),
        pytest.param(112, "рублей", id="112"),
        pytest.param(122, "рубля", id="122"),
        pytest.param(1000, "рублей", id="1000"),
        pytest.param(1001, "рубль", id="1001"),
        pytest.param(-1, "рубль", id="minus-1"),
        pytest.param(-12, "рублей", id="minus-12"),
    ],
)
def test_plural_form_table(count: int, expected: str) -> None:
    assert plural_form(count, "рубль", "рубля", "рублей") == expected


# ---------------------------------------------------------------- amount_in_words


@pytest.mark.parametrize(
    ("kopecks", "expected"),
    [
        pytest.param(123450, "одна тысяча двести тридцать четыре рубля 50 копеек", id="thousand"),
        pytest.param(100, "один рубль 00 копеек", id="one-rouble"),
        pytest.param(2101, "двадцать один рубль 01 копейка", id="twenty-one-one-kopeck"),
        pytest.param(1_200_000, "двенадцать тысяч рублей 00 копеек", id="twelve-thousand"),
        pytest.param(120_000, "одна тысяча двести рублей 00 копеек", id="domain-example"),
        pytest.param(0, "ноль рублей 00 копеек", id="zero"),
        pytest.param(1, "ноль рублей 01 копейка", id="one-kopeck"),
        pytest.param(2, "ноль рублей 02 копейки", id="two-kopecks"),
        pytest.param(11, "ноль рублей 11 копеек", id="eleven-kopecks"),
        pytest.param(1111100, "одиннадцать тысяч сто одиннадцать рублей 00 копеек", id="elevens"),
        pytest.param(200, "два рубля 00 копеек", id="two-roubles"),
        pytest.param(500, "пять рублей 00 копеек", id="five-roubles"),
        pytest.param(1199, "одиннадцать рублей 99 копеек", id="eleven-roubles"),
        pytest.param(2222, "двадцать два рубля 22 копейки", id="twenty-two"),
        pytest.param(200_000, "две тысячи рублей 00 копеек", id="two-thousand-feminine"),
        pytest.param(2_100_000, "двадцать одна тысяча рублей 00 копеек", id="twenty-one-thousand"),
        pytest.param(100_000_000, "один миллион рублей 00 копеек", id="million"),
        pytest.param(200_000_000, "два миллиона рублей 00 копеек", id="two-million"),
    ],
)
def test_amount_in_words_table(kopecks: int, expected: str) -> None:
    assert amount_in_words(kopecks) == expected


@pytest.mark.parametrize("kopecks", [-1, -100, -123450], ids=["minus-kopeck", "minus-rouble", "minus-thousand"])
def test_amount_in_words_rejects_negative(kopecks: int) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        amount_in_words(kopecks)


def expected_kopeck_noun(kopecks: int) -> str:
    """The kopeck noun for 0..99, spelled out without the shared plural helper."""
    if 11 <= kopecks <= 14:
        return "копеек"
    return {1: "копейка", 2: "копейки", 3: "копейки", 4: "копейки"}.get(kopecks % 10, "копеек")


def expected_rouble_noun(roubles: int) -> str:
    """The rouble noun, spelled out without the shared plural helper."""
    if 11 <= roubles % 100 <= 14:
        return "рублей"
    return {1: "рубль", 2: "рубля", 3: "рубля", 4: "рубля"}.get(roubles % 10, "рублей")


@MODERATE
@given(kopecks=st.integers(min_value=0, max_value=10**11))
def test_amount_in_words_suffix_is_two_digits_and_right_forms(kopecks: int) -> None:
    text = amount_in_words(kopecks)
    roubles, rest = divmod(kopecks, 100)
    words, rouble_noun, figures, kopeck_noun = text.rsplit(" ", 3)
    assert figures == f"{rest:02d}"
    assert len(figures) == 2
    assert kopeck_noun == expected_kopeck_noun(rest)
    assert rouble_noun == expected_rouble_noun(roubles)
    assert words
    assert not any(char.isdigit() for char in words)
