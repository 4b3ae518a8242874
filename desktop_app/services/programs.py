"""The organization's programs: edit offline, send for certification, archive, copy for the next year.

Saving compares the edited program with the stored one and queues exactly the operations that describe
the difference (program, module, group and lesson; created, changed or archived), in one transaction with
the local change. Editing what certification covers sends a certified program back to draft, as the
server does.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from desktop_app.domain.age import add_months
from desktop_app.domain.program import CertificationStatus, Group, Module, Program, ScheduleEntry
from desktop_app.domain.program_summary import ProgramSummary
from desktop_app.domain.validation import FieldError, ValidationPolicy, validate_program
from desktop_app.errors import ExpectedError
from desktop_app.services.program_payloads import (
    group_payload,
    module_payload,
    program_payload,
    schedule_payload,
)
from desktop_app.storage.database import Database, UnitOfWork

SUBMITTABLE = (CertificationStatus.DRAFT, CertificationStatus.REFUSED)
DECIDED = (CertificationStatus.CERTIFIED, CertificationStatus.REFUSED)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def decisions_between(before: list[ProgramSummary], after: list[ProgramSummary]) -> list[str]:
    """Notices for the clerk about the operator's decisions that arrived between two readings of the list.

    Only programs known before whose status became «сертифицирована» or «отказ» are reported, in the order
    of ``after``; a program seen for the first time (e.g. on a new workstation) is not news.
    """
    previous = {summary.program.id: summary.program.status for summary in before}
    notices = []
    for summary in after:
        program = summary.program
        status = program.status
        if program.id not in previous or previous[program.id] is status or status not in DECIDED:
            continue
        name = program.short_name or program.full_name
        if status is CertificationStatus.CERTIFIED:
            notices.append(f"Программа „{name}“ сертифицирована")
        else:
            notices.append(f"Программа „{name}“: отказ, см. замечание")
    return notices


def recertification_needed(stored: Program, edited: Program) -> bool:
    """Whether saving ``edited`` sends a certified program back to draft (what certification covers changed)."""
    return stored.status is CertificationStatus.CERTIFIED and _certified_content(stored) != _certified_content(edited)


class ProgramService:
    def __init__(
        self, database: Database, policy: ValidationPolicy | None = None, now: Callable[[], datetime] = _utc_now
    ) -> None:
        self._database = database
        self._policy = policy or ValidationPolicy()
        self._now = now

    def summaries(self) -> list[ProgramSummary]:
        """The rows of the programs list (columns and counts, not whole trees), alphabetically."""
        with self._database.read() as work:
            return work.programs.summaries()

    def submittable(self) -> frozenset[uuid.UUID]:
        """Programs that can be sent for certification now: a draft or refused, and complete."""
        with self._database.read() as work:
            candidates = work.programs.list_all(SUBMITTABLE)
        return frozenset(program.id for program in candidates if not validate_program(program, self._policy))

    def get(self, program_id: uuid.UUID) -> Program | None:
        with self._database.read() as work:
            return work.programs.get(program_id)

    def validate(self, program: Program) -> list[FieldError]:
        return validate_program(program, self._policy)

    def save(self, program: Program) -> Program:
        """Store the program and queue what changed; drafts may be incomplete (checked on submission)."""
        now = self._now()
        with self._database.write() as work:
            stored = work.programs.get(program.id)
            if stored is not None and stored.status is CertificationStatus.ARCHIVED:
                raise ExpectedError(f"Программа «{stored.short_name}» в архиве: изменить её нельзя.")
            program = _with_status_after_edit(stored, program)
            work.programs.save(program, now)
            _queue_differences(work, stored, program, now)
            saved = work.programs.get(program.id)
        assert saved is not None
        return saved

    def submit(self, program_id: uuid.UUID) -> Program:
        """Send a complete program for certification.

        Raises:
            ExpectedError: the program is incomplete (the messages say what to fix), or already submitted.
        """
        now = self._now()
        with self._database.write() as work:
            program = _existing(work, program_id)
            if program.status in (CertificationStatus.SUBMITTED, CertificationStatus.CERTIFIED):
                raise ExpectedError(f"Программа «{program.short_name}» уже на сертификации или сертифицирована.")
            errors = validate_program(program, self._policy)
            if errors:
                listed = "\n".join(f"• {error.message}" for error in errors)
                raise ExpectedError(f"Программа заполнена не полностью:\n{listed}")
            submitted = dataclasses.replace(program, status=CertificationStatus.SUBMITTED)
            work.programs.save(submitted, now)
            work.outbox.enqueue(
                "program.submit",
                1,
                program.id,
                {"program_id": str(program.id)},
                now,
                refs=(program.id,),
                summary=f"Программа «{program.short_name}»: отправка на сертификацию",
            )
        return submitted

    def archive(self, program_id: uuid.UUID) -> Program:
        now = self._now()
        with self._database.write() as work:
            program = _existing(work, program_id)
            open_contracts = [contract for contract in work.contracts.list_all() if contract.program_id == program_id]
            if any(contract.status.is_open for contract in open_contracts):
                raise ExpectedError(f"По программе «{program.short_name}» есть действующие договоры: в архив нельзя.")
            archived = dataclasses.replace(program, status=CertificationStatus.ARCHIVED)
            work.programs.save(archived, now)
            work.outbox.enqueue(
                "program.archive",
                1,
                program.id,
                {"id": str(program.id)},
                now,
                refs=(program.id,),
                summary=f"Программа «{program.short_name}»: в архив",
            )
        return archived

    def copy_for_next_year(self, program_id: uuid.UUID) -> Program:
        """A new draft with the same content and new ids; groups move one year ahead."""
        with self._database.read() as work:
            program = _existing(work, program_id)
        copy = dataclasses.replace(
            program,
            id=uuid.uuid4(),
            status=CertificationStatus.DRAFT,
            decisions=(),
            modules=tuple(_copied_module(module) for module in program.modules),
        )
        return self.save(copy)


def _existing(work: UnitOfWork, program_id: uuid.UUID) -> Program:
    program = work.programs.get(program_id)
    if program is None:
        raise ExpectedError("Программа не найдена.")
    return program


def _certified_content(program: Program) -> tuple[object, ...]:
    """What certification covers: the program's own fields and its modules (not groups or lessons)."""
    modules = tuple(dataclasses.replace(module, groups=(), normative=None) for module in program.modules)
    own = dataclasses.replace(program, modules=(), decisions=(), status=CertificationStatus.DRAFT)
    return (own, modules)


def _with_status_after_edit(stored: Program | None, program: Program) -> Program:
    """The status after an edit: a certified program whose certified content changed is a draft again."""
    if stored is None:
        return dataclasses.replace(program, status=CertificationStatus.DRAFT, decisions=())
    status = CertificationStatus.DRAFT if recertification_needed(stored, program) else stored.status
    return dataclasses.replace(program, status=status, decisions=stored.decisions)


def _queue(
    work: UnitOfWork,
    op_type: str,
    entity_id: uuid.UUID,
    payload: dict[str, object],
    now: datetime,
    refs: tuple[uuid.UUID, ...],
    summary: str,
) -> None:
    work.outbox.enqueue(op_type, 1, entity_id, payload, now, refs=refs, summary=summary)


def _queue_differences(work: UnitOfWork, stored: Program | None, program: Program, now: datetime) -> None:
    name = program.short_name or program.full_name
    if stored is None:
        _queue(work, "program.create", program.id, program_payload(program), now, (), f"Программа «{name}»: создание")
    elif program_payload(stored) != program_payload(program):
        summary = f"Программа «{name}»: изменения"
        _queue(work, "program.update", program.id, program_payload(program), now, (program.id,), summary)
    old_modules = {module.id: module for module in stored.modules} if stored else {}
    old_positions = {module.id: index for index, module in enumerate(stored.modules)} if stored else {}
    for position, module in enumerate(program.modules):
        previous = old_modules.pop(module.id, None)
        payload = module_payload(module, program.id, position)
        summary = f"Модуль «{module.name}» программы «{name}»"
        if previous is None:
            _queue(work, "module.create", module.id, payload, now, (program.id,), f"{summary}: создание")
        elif module_payload(previous, program.id, old_positions[module.id]) != payload:
            _queue(work, "module.update", module.id, payload, now, (program.id,), f"{summary}: изменения")
        _queue_groups(work, previous, module, (module.id, program.id), now)
    for gone in old_modules.values():
        summary = f"Модуль «{gone.name}» программы «{name}»: удаление"
        _queue(work, "module.archive", gone.id, {"id": str(gone.id)}, now, (program.id,), summary)


def _queue_groups(
    work: UnitOfWork, stored: Module | None, module: Module, parents: tuple[uuid.UUID, ...], now: datetime
) -> None:
    old_groups = {group.id: group for group in stored.groups} if stored else {}
    for group in module.groups:
        previous = old_groups.pop(group.id, None)
        payload = group_payload(group, module.id)
        if previous is None:
            _queue(work, "group.create", group.id, payload, now, parents, f"Группа «{group.name}»: создание")
        elif group_payload(previous, module.id) != payload:
            _queue(work, "group.update", group.id, payload, now, parents, f"Группа «{group.name}»: изменения")
        _queue_schedule(work, previous, group, (group.id, *parents), now)
    for gone in old_groups.values():
        _queue(work, "group.archive", gone.id, {"id": str(gone.id)}, now, parents, f"Группа «{gone.name}»: удаление")


def _queue_schedule(
    work: UnitOfWork, stored: Group | None, group: Group, parents: tuple[uuid.UUID, ...], now: datetime
) -> None:
    old_entries = {entry.id: entry for entry in stored.schedule} if stored else {}
    summary = f"Расписание группы «{group.name}»"
    for entry in group.schedule:
        previous = old_entries.pop(entry.id, None)
        payload = schedule_payload(entry, group.id)
        if previous is None:
            _queue(work, "schedule.create", entry.id, payload, now, parents, f"{summary}: новое занятие")
        elif schedule_payload(previous, group.id) != payload:
            _queue(work, "schedule.update", entry.id, payload, now, parents, f"{summary}: изменения")
    for gone in old_entries.values():
        _queue(work, "schedule.archive", gone.id, {"id": str(gone.id)}, now, parents, f"{summary}: занятие удалено")


def _copied_module(module: Module) -> Module:
    return dataclasses.replace(
        module, id=uuid.uuid4(), normative=None, groups=tuple(_copied_group(group) for group in module.groups)
    )


def _copied_group(group: Group) -> Group:
    return dataclasses.replace(
        group,
        id=uuid.uuid4(),
        start_date=add_months(group.start_date, 12),
        end_date=add_months(group.end_date, 12),
        taken=0,
        schedule=tuple(_copied_entry(entry) for entry in group.schedule),
    )


def _copied_entry(entry: ScheduleEntry) -> ScheduleEntry:
    return dataclasses.replace(entry, id=uuid.uuid4())
