"""The modules, groups and lessons being edited, shared by the editor's tabs.

Every change replaces one frozen domain object and says so: ``edited`` after any change (the editor checks
the program again), ``structure_changed`` when lists of modules or groups change or are renamed (the tabs
rebuild their lists). Typed texts that are not values yet (a price «12 0,0,0») are kept as input errors, by
the id of their module, so they follow the module when it moves.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.domain.program import Group, Module, ScheduleEntry, Weekday

DEFAULT_MONTHS = 9
DEFAULT_HOURS = 72
DEFAULT_MIN_GROUP = 5
DEFAULT_MAX_GROUP = 15
SCHOOL_YEAR_START_MONTH = 9
SCHOOL_YEAR_END = (5, 31)


class ProgramDraft(QObject):
    edited = Signal()
    structure_changed = Signal()

    def __init__(self, modules: Sequence[Module], today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.modules: list[Module] = list(modules)
        self._today = today
        self.input_errors: dict[tuple[uuid.UUID, str], str] = {}

    # ------------------------------------------------------------ modules

    def add_module(self) -> int:
        number = len(self.modules) + 1
        self.modules.append(
            Module(
                id=uuid.uuid4(),
                name=f"Модуль {number}",
                months=DEFAULT_MONTHS,
                hours=DEFAULT_HOURS,
                min_group_size=DEFAULT_MIN_GROUP,
                max_group_size=DEFAULT_MAX_GROUP,
                price=0,
            )
        )
        self._changed(structure=True)
        return len(self.modules) - 1

    def remove_module(self, index: int) -> None:
        removed = self.modules.pop(index)
        self.input_errors = {key: text for key, text in self.input_errors.items() if key[0] != removed.id}
        self._changed(structure=True)

    def move_module(self, index: int, step: int) -> int:
        target = index + step
        if not 0 <= target < len(self.modules):
            return index
        self.modules[index], self.modules[target] = self.modules[target], self.modules[index]
        self._changed(structure=True)
        return target

    def update_module(self, index: int, **changes: Any) -> None:
        before = self.modules[index]
        self.modules[index] = dataclasses.replace(before, **changes)
        self._changed(structure="name" in changes and changes["name"] != before.name)

    def set_input_error(self, module_index: int, field: str, message: str | None) -> None:
        key = (self.modules[module_index].id, field)
        if message:
            self.input_errors[key] = message
        else:
            self.input_errors.pop(key, None)
        self.edited.emit()

    def clear_input_errors(self) -> None:
        if self.input_errors:
            self.input_errors.clear()
            self.edited.emit()

    def input_error_paths(self) -> dict[str, str]:
        """Input errors by the field path validation uses (``modules[1].price``)."""
        positions = {module.id: index for index, module in enumerate(self.modules)}
        return {
            f"modules[{positions[module_id]}].{field}": message
            for (module_id, field), message in self.input_errors.items()
            if module_id in positions
        }

    # ------------------------------------------------------------ groups

    def add_group(self, module_index: int) -> int:
        module = self.modules[module_index]
        start = self._school_year_start()
        group = Group(
            id=uuid.uuid4(),
            name=f"Группа {len(module.groups) + 1}",
            teacher="",
            start_date=start,
            end_date=date(start.year + 1, *SCHOOL_YEAR_END),
            capacity=module.max_group_size,
        )
        self._set_groups(module_index, (*module.groups, group))
        self._changed(structure=True)
        return len(module.groups)

    def remove_group(self, module_index: int, group_index: int) -> None:
        groups = list(self.modules[module_index].groups)
        groups.pop(group_index)
        self._set_groups(module_index, tuple(groups))
        self._changed(structure=True)

    def update_group(self, module_index: int, group_index: int, **changes: Any) -> None:
        before = self.modules[module_index].groups[group_index]
        groups = list(self.modules[module_index].groups)
        groups[group_index] = dataclasses.replace(before, **changes)
        self._set_groups(module_index, tuple(groups))
        self._changed(structure="name" in changes and changes["name"] != before.name)

    def set_schedule(self, module_index: int, group_index: int, entries: Sequence[ScheduleEntry]) -> None:
        self.update_group(module_index, group_index, schedule=tuple(entries))

    def new_lesson(self, addresses: Sequence[str]) -> ScheduleEntry:
        return ScheduleEntry(
            id=uuid.uuid4(),
            weekday=Weekday.MONDAY,
            starts_at=time(15, 0),
            ends_at=time(15, 45),
            address=addresses[0] if addresses else "",
        )

    def all_groups(self) -> list[Group]:
        return [group for module in self.modules for group in module.groups]

    # ------------------------------------------------------------ helpers

    def _set_groups(self, module_index: int, groups: tuple[Group, ...]) -> None:
        self.modules[module_index] = dataclasses.replace(self.modules[module_index], groups=groups)

    def _school_year_start(self) -> date:
        """1 September of this calendar year: the coming school year in spring and summer, the current one
        in autumn; the clerk adjusts it."""
        return date(self._today().year, SCHOOL_YEAR_START_MONTH, 1)

    def _changed(self, *, structure: bool) -> None:
        if structure:
            self.structure_changed.emit()
        self.edited.emit()
