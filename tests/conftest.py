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

THREAD_EXIT_GRACE_S = 2.0
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
    started = [
        thread
        for thread in threading.enumerate()
        if thread not in before and not isinstance(thread, threading._DummyThread)
    ]
    for thread in started:
        # A thread already told to stop (e.g. AnyIO's worker after the test client's loop closed) may need a
        # moment to return; one that is really left running is still alive after this.
        thread.join(timeout=THREAD_EXIT_GRACE_S)
    leftover = [thread for thread in started if thread.is_alive()]
    if leftover:
        pytest.fail(f"threads left running: {[thread.name for thread in leftover]}")


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave pictures (screenshots, rendered PDF pages) for people to look at."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
