"""A program as the list of programs shows it: its own columns and counts over its tree, not the tree itself.

Listing a region's 8,000 programs as whole trees (modules, groups, lessons) took seconds and hundreds of
megabytes; the list needs only these columns, counted by the database. The editor reads the whole tree of
the one program it opens.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from desktop_app.domain.age import AgeRange
from desktop_app.domain.program import CertificationStatus, Direction, ProgramKind

WAITING = "ждёт отправки"


@dataclass(frozen=True, slots=True)
class ProgramHeader:
    """A program's own fields that the list shows."""

    id: uuid.UUID
    full_name: str
    short_name: str
    direction: Direction | None
    kind: ProgramKind | None
    age_range: AgeRange
    status: CertificationStatus


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    """A row of the programs table; counts are over the modules and groups in the tree (archived ones left out)."""

    program: ProgramHeader
    module_count: int
    group_count: int
    taken: int
    """Places the server has counted as taken, over every group of every module."""
    capacity: int
    waiting: bool
    """Changes to the program or to anything in its tree not yet sent to the server."""
    pending_places: int = 0
    """Places held by contract requests made here that the server has not counted yet."""

    @property
    def status_label(self) -> str:
        if self.waiting and self.program.status is not CertificationStatus.ARCHIVED:
            return WAITING
        return self.program.status.label

    @property
    def places(self) -> tuple[int, int]:
        """Places taken (the server's count and requests made here) and total."""
        return self.taken + self.pending_places, self.capacity
