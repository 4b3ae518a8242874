"""Suite-wide rules: offscreen Qt, an in-memory keyring, and no test may leave a thread running."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.helpers.memory_keyring import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Each test gets a fresh, empty in-memory keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_threads_left_running() -> Iterator[None]:
    """Fail a test that leaves a thread behind it."""
    before = set(threading.enumerate())
    yield
    leftover = [
        thread
        for thread in threading.enumerate()
        if thread not in before and thread.is_alive() and not isinstance(thread, threading._DummyThread)
    ]
    if leftover:
        pytest.fail(f"threads left running: {[thread.name for thread in leftover]}")


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave pictures (screenshots, rendered PDF pages) for people to look at."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
