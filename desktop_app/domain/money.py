"""Money as integer kopecks: rounding, formatting for people, amounts in words.

Every amount in the product is an ``int`` number of kopecks. Floats never come near money: rounding is
done in integer arithmetic, and roubles reach ``num2words`` as integers.
"""

from __future__ import annotations

from num2words import num2words

KOPECKS_PER_ROUBLE = 100

NBSP = "\u00a0"
"""No-break space: thousands separator and the gap before «₽», so an amount never wraps."""

ROUBLE_SIGN = "₽"


def round_half_up(numerator: int, denominator: int) -> int:
    """Divide two integers and round to the nearest integer, halves away from zero.

    This is the rounding of DOMAIN.md («to the nearest kopeck, halves up»), done without floats.
    """
    if denominator == 0:
        raise ZeroDivisionError("denominator must not be zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return sign * quotient


def prorate(amount: int, part: int, whole: int) -> int:
    """``amount * part / whole`` rounded half up: the share of an amount for a part of a period."""
    if whole <= 0:
        raise ValueError("the whole must be positive")
    return round_half_up(amount * part, whole)


def split_evenly(amount: int, parts: int) -> list[int]:
    """Split an amount into ``parts`` shares that sum exactly to it.

    Every share but the first is ``floor(amount / parts)``; the first absorbs the remainder
    (the monthly schedule rule of DOMAIN.md).
    """
    if parts <= 0:
        raise ValueError("the number of parts must be positive")
    if amount < 0:
        raise ValueError("the amount must not be negative")
    share = amount // parts
    return [amount - share * (parts - 1)] + [share] * (parts - 1)


def _group_thousands(value: int) -> str:
    digits = str(value)
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return NBSP.join(reversed(groups))


def format_kopecks(kopecks: int, *, with_sign: bool = True) -> str:
    """Format an amount for people: ``123450`` → ``1 234,50 ₽`` (no-break spaces)."""
    sign = "-" if kopecks < 0 else ""
    roubles, rest = divmod(abs(kopecks), KOPECKS_PER_ROUBLE)
    text = f"{sign}{_group_thousands(roubles)},{rest:02d}"
    return f"{text}{NBSP}{ROUBLE_SIGN}" if with_sign else text


def plural_form(count: int, one: str, few: str, many: str) -> str:
    """Choose the Russian noun form for a count: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    count = abs(count)
    if count % 100 in range(11, 15):
        return many
    last = count % 10
    if last == 1:
        return one
    if last in (2, 3, 4):
        return few
    return many


def amount_in_words(kopecks: int) -> str:
    """Roubles in words and kopecks in figures, as contracts write them.

    ``123450`` → «одна тысяча двести тридцать четыре рубля 50 копеек».
    """
    if kopecks < 0:
        raise ValueError("an amount in words must not be negative")
    roubles, rest = divmod(kopecks, KOPECKS_PER_ROUBLE)
    words = num2words(roubles, lang="ru")
    rouble_noun = plural_form(roubles, "рубль", "рубля", "рублей")
    kopeck_noun = plural_form(rest, "копейка", "копейки", "копеек")
    return f"{words} {rouble_noun} {rest:02d} {kopeck_noun}"
