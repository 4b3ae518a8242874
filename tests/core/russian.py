"""A check shared by the core tests: a message for the clerk is Russian, with no English words in it."""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def assert_russian(message: str, *allowed: str) -> None:
    """Fail unless ``message`` has Cyrillic text and no Latin words outside the ``allowed`` fragments."""
    assert _CYRILLIC.search(message), f"no Russian text in {message!r}"
    rest = message
    for fragment in allowed:
        rest = rest.replace(fragment, " ")
    assert not _LATIN_WORD.findall(rest), f"English words in a message for the clerk: {message!r}"
