"""The two kinds of errors: expected problems with a message for the clerk, and everything else (bugs).

An expected problem (bad input, no connection, no keyring, a full disk) carries a clear Russian message and
leaves the user's data intact. Anything else is a bug: it is logged with its traceback and the user gets a
short apology with the log's location. ``as_expected`` recognises environment failures that arrive as plain
Python exceptions (a full disk, a locked file) and gives them their message.
"""

from __future__ import annotations

import errno
import sqlite3


class ExpectedError(Exception):
    """A problem the user can understand and act on; ``user_message`` is shown as it is, in Russian."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


# Messages, not exception instances: a fresh ExpectedError is made each time, because raising one shared
# instance again and again would pile every raise's traceback and cause onto it (and share it across threads).
_DISK_FULL = "На диске не осталось места. Освободите место и повторите действие: введённые данные не потеряны."
_READ_ONLY = "Нет прав на запись в папку данных программы. Обратитесь к администратору компьютера."
_CANNOT_OPEN = "Не удаётся открыть файл базы данных: нет доступа к папке данных. Обратитесь к администратору."
_LOCKED = "База данных занята другой программой или другим окном АРМ. Закройте лишние окна и повторите действие."


def as_expected(error: BaseException) -> ExpectedError | None:
    """The expected problem behind an exception, or None when it is a bug."""
    if isinstance(error, ExpectedError):
        return error
    if isinstance(error, OSError):
        return _from_os_error(error)
    # SQLAlchemy's DBAPIError carries the driver's exception in ``orig``. It is read without importing
    # SQLAlchemy, so that reports/ (which never touches the database) can raise ExpectedError too.
    original = getattr(error, "orig", None)
    cause = original if isinstance(original, BaseException) else error
    if isinstance(cause, sqlite3.OperationalError):
        return _from_sqlite_error(cause)
    return None


def _from_os_error(error: OSError) -> ExpectedError | None:
    if error.errno == errno.ENOSPC:
        return ExpectedError(_DISK_FULL)
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EROFS):
        return ExpectedError(_READ_ONLY)
    return None


def _from_sqlite_error(error: sqlite3.OperationalError) -> ExpectedError | None:
    text = str(error).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return ExpectedError(_DISK_FULL)
    if "readonly" in text or "read-only" in text:
        return ExpectedError(_READ_ONLY)
    if "unable to open" in text:
        return ExpectedError(_CANNOT_OPEN)
    if "locked" in text or "busy" in text:
        return ExpectedError(_LOCKED)
    return None
