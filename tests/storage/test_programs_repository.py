"""Tests of the program repository: whole trees of modules, groups and schedules saved, edited and listed; summaries."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import time, timedelta

import pytest
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.age import AgeRange
from desktop_app.domain.contract import ContractStatus
from desktop_app.domain.program import CertificationStatus, Program, Weekday
from desktop_app.domain.program_summary import ProgramHeader
from desktop_app.storage.database import Database
from desktop_app.storage.models import GroupRow
from tests.storage.builders import (
    NOW,
    TREE_TABLES,
    make_contract,
    make_group,
    make_program,
    make_schedule_entry,
    stored_ids,
    union_of_trees,
)


def _save(database: Database, *programs: Program) -> None:
    with database.write() as work:
        for program in programs:
            work.programs.save(program, NOW)


def _assert_rows_are_exactly(database: Database, *programs: Program, left_out: tuple[Program, ...] = ()) -> None:
    """The active rows are those of these programs' trees; rows left out of an earlier tree stay, archived."""
    expected = union_of_trees(programs)
    earlier = union_of_trees(left_out)
    for table in TREE_TABLES:
        assert stored_ids(database.path, table) == expected[table] | earlier[table], table
        assert expected[table] <= stored_ids(database.path, table, archived=False), table
        assert stored_ids(database.path, table, archived=True) <= earlier[table] - expected[table], table


def _edited(program: Program) -> Program:
    """Rename a module, drop a group, add a lesson, swap the modules and change the program itself."""
    first, second = program.modules
    kept_group, _dropped = second.groups
    extra_lesson = make_schedule_entry(Weekday.SUNDAY, 10, room="актовый зал")
    new_second = dataclasses.replace(
        second,
        name="Второй год обучения (углублённый)",
        groups=(dataclasses.replace(kept_group, schedule=(*kept_group.schedule, extra_lesson)),),
    )
    new_first = dataclasses.replace(first, price=first.price + 100)
    return dataclasses.replace(
        program,
        full_name="Робототехника: второе издание",
        age_range=AgeRange.from_years(8, 12),
        addresses=(),
        status=CertificationStatus.SUBMITTED,
        modules=(new_second, new_first),
    )


def test_a_saved_program_comes_back_equal(database: Database) -> None:
    program = make_program()
    assert len(program.modules) == 2
    assert all(len(module.groups) == 2 for module in program.modules)

    _save(database, program)

    with database.read() as work:
        assert work.programs.get(program.id) == program
    _assert_rows_are_exactly(database, program)


def test_unknown_program_is_none(database: Database, saved_program: Program) -> None:
    with database.read() as work:
        assert work.programs.get(uuid.uuid4()) is None


def test_a_bare_program_without_modules_or_classifiers_comes_back_equal(database: Database) -> None:
    program = Program(
        id=uuid.uuid4(),
        full_name="Черновик",
        short_name="",
        direction=None,
        kind=None,
        form=None,
        level=None,
        age_range=AgeRange(60, 216),
        duration_months=0,
    )

    _save(database, program)

    with database.read() as work:
        assert work.programs.get(program.id) == program


def test_list_all_orders_by_full_name(database: Database) -> None:
    chess, english, robots = make_program("Шахматы"), make_program("Английский язык"), make_program("Робототехника")

    _save(database, chess, english, robots)

    with database.read() as work:
        assert work.programs.list_all() == [english, robots, chess]


def test_list_all_sorts_like_a_russian_reader(database: Database) -> None:
    names = ["Ёлочная игрушка", "английский язык", "Живопись", "Елочные украшения", "Аэробика"]
    _save(database, *(make_program(name) for name in names))

    with database.read() as work:
        listed = [program.full_name for program in work.programs.list_all()]
    assert listed == ["английский язык", "Аэробика", "Ёлочная игрушка", "Елочные украшения", "Живопись"]


def test_list_all_of_an_empty_database_is_empty(database: Database) -> None:
    with database.read() as work:
        assert work.programs.list_all() == []


def test_saving_an_edited_program_stores_exactly_the_new_tree(database: Database, saved_program: Program) -> None:
    edited = _edited(saved_program)

    with database.write() as work:
        work.programs.save(edited, NOW + timedelta(hours=1))

    with database.read() as work:
        stored = work.programs.get(saved_program.id)
        assert work.programs.list_all() == [edited]
    assert stored == edited
    assert stored is not None
    assert [module.id for module in stored.modules] == [module.id for module in reversed(saved_program.modules)]
    assert stored.modules[0].name == "Второй год обучения (углублённый)"
    assert len(stored.modules[0].groups) == 1
    assert stored.modules[0].groups[0].schedule[-1].weekday is Weekday.SUNDAY
    _assert_rows_are_exactly(database, edited, left_out=(saved_program,))


def test_editing_keeps_the_identifiers_of_kept_rows(database: Database, saved_program: Program) -> None:
    before = union_of_trees([saved_program])
    edited = _edited(saved_program)

    _save(database, edited)

    after = union_of_trees([edited])
    dropped_group = saved_program.modules[1].groups[1]
    assert after["modules"] == before["modules"]
    assert after["study_groups"] == before["study_groups"] - {dropped_group.id}
    assert before["schedule_entries"] - {entry.id for entry in dropped_group.schedule} < after["schedule_entries"]
    _assert_rows_are_exactly(database, edited, left_out=(saved_program,))


def test_removing_a_module_archives_it_and_keeps_its_rows(database: Database, saved_program: Program) -> None:
    shorter = dataclasses.replace(saved_program, modules=saved_program.modules[:1])

    _save(database, shorter)

    with database.read() as work:
        assert work.programs.get(saved_program.id) == shorter
    removed = saved_program.modules[1]
    assert stored_ids(database.path, "modules", archived=True) == {removed.id}
    # Its groups and lessons stay as they were, out of the tree with their module.
    assert stored_ids(database.path, "study_groups") == union_of_trees([saved_program])["study_groups"]
    assert stored_ids(database.path, "schedule_entries") == union_of_trees([saved_program])["schedule_entries"]


def test_rescheduling_a_lesson_updates_it_in_place(database: Database, saved_program: Program) -> None:
    module = saved_program.modules[0]
    group = module.groups[0]
    lesson = dataclasses.replace(group.schedule[0], weekday=Weekday.FRIDAY, starts_at=time(9), ends_at=time(10))
    moved = dataclasses.replace(group, schedule=(group.schedule[1], lesson))
    edited = dataclasses.replace(
        saved_program,
        modules=(dataclasses.replace(module, groups=(moved, module.groups[1])), saved_program.modules[1]),
    )

    _save(database, edited)

    with database.read() as work:
        assert work.programs.get(saved_program.id) == edited
    _assert_rows_are_exactly(database, edited)


def test_editing_one_program_leaves_the_others_alone(database: Database, saved_program: Program) -> None:
    other = make_program("Шахматы")
    _save(database, other)

    _save(database, dataclasses.replace(saved_program, modules=()))

    with database.read() as work:
        assert work.programs.get(other.id) == other
        assert work.programs.get(saved_program.id) == dataclasses.replace(saved_program, modules=())
    assert stored_ids(database.path, "modules", archived=True) == {module.id for module in saved_program.modules}
    assert union_of_trees([other])["modules"] <= stored_ids(database.path, "modules", archived=False)


def test_saving_the_same_program_twice_changes_nothing(database: Database, saved_program: Program) -> None:
    _save(database, saved_program)

    with database.read() as work:
        assert work.programs.list_all() == [saved_program]
    _assert_rows_are_exactly(database, saved_program)


def test_a_group_with_a_contract_is_archived_not_dropped(database: Database, saved_program: Program) -> None:
    contract = make_contract(saved_program)
    with database.write() as work:
        work.contracts.save(contract, NOW)
    module = saved_program.modules[0]
    without_group = dataclasses.replace(
        saved_program,
        modules=(dataclasses.replace(module, groups=module.groups[1:]), saved_program.modules[1]),
    )

    _save(database, without_group)

    with database.read() as work:
        assert work.programs.get(saved_program.id) == without_group
        assert work.contracts.get(contract.id) == contract
    assert stored_ids(database.path, "study_groups", archived=True) == {module.groups[0].id}


def test_the_database_refuses_an_inverted_age_range(database: Database) -> None:
    program = dataclasses.replace(make_program(), age_range=AgeRange(120, 60))

    with pytest.raises(IntegrityError, match="ck_programs_age_range"), database.write() as work:
        work.programs.save(program, NOW)

    with database.read() as work:
        assert work.programs.list_all() == []


def test_a_new_group_gets_added_to_a_module(database: Database, saved_program: Program) -> None:
    module = saved_program.modules[1]
    added = make_group("Группа 2-В", Weekday.MONDAY)
    edited = dataclasses.replace(
        saved_program,
        modules=(saved_program.modules[0], dataclasses.replace(module, groups=(added, *module.groups))),
    )

    _save(database, edited)

    with database.read() as work:
        assert work.programs.get(saved_program.id) == edited
    _assert_rows_are_exactly(database, edited)


def test_summaries_count_the_tree_in_one_query_leaving_out_what_is_archived(database: Database) -> None:
    robots, chess = make_program("Робототехника для начинающих"), make_program("Шахматы")
    bare = dataclasses.replace(make_program("Английский язык"), modules=(), status=CertificationStatus.DRAFT)
    _save(database, robots, chess, bare)
    first, second = robots.modules
    dropped_group = second.groups[1]
    _save(
        database,
        dataclasses.replace(robots, modules=(first, dataclasses.replace(second, groups=second.groups[:1]))),
        dataclasses.replace(chess, modules=chess.modules[:1]),  # the second module and its groups: archived
    )
    with database.engine.begin() as connection:  # places the server counted, in every group, archived or not
        connection.execute(update(GroupRow).values(taken=5))
    counted = make_contract(robots)
    in_dropped_group = dataclasses.replace(make_contract(robots, module_index=1), group_id=dropped_group.id)
    with database.write() as work:
        for contract in (
            counted,
            dataclasses.replace(make_contract(robots), status=ContractStatus.CONFIRMED),  # the server counted it
            in_dropped_group,
            make_contract(chess, module_index=1),  # in the archived module
        ):
            work.contracts.save(contract, NOW)
        for entity_id in (first.groups[0].schedule[0].id, chess.modules[1].id, bare.id):
            work.outbox.enqueue("change", 1, entity_id, {}, NOW)
    statements: list[str] = []

    def remember(*arguments: object) -> None:
        statements.append(str(arguments[2]))

    with database.read() as work:
        event.listen(database.engine, "before_cursor_execute", remember)
        summaries = work.programs.summaries()
        event.remove(database.engine, "before_cursor_execute", remember)
        trees = {program.id: program for program in work.programs.list_all()}

    assert [statement.split()[0] for statement in statements] == ["BEGIN", "SELECT"]
    assert [summary.program.full_name for summary in summaries] == [bare.full_name, robots.full_name, chess.full_name]
    counts = [
        (summary.module_count, summary.group_count, summary.places, summary.pending_places, summary.waiting)
        for summary in summaries
    ]
    assert counts == [(0, 0, (0, 0), 0, True), (2, 3, (5 * 3 + 1, 12 * 3), 1, True), (1, 2, (5 * 2, 12 * 2), 0, False)]
    for summary in summaries:  # the counts are those of the tree ``get`` reads
        tree = trees[summary.program.id]
        groups = [group for module in tree.modules for group in module.groups]
        assert (summary.module_count, summary.group_count) == (len(tree.modules), len(groups))
        assert (summary.taken, summary.capacity) == (sum(g.taken for g in groups), sum(g.capacity for g in groups))
        assert summary.program == ProgramHeader(
            tree.id, tree.full_name, tree.short_name, tree.direction, tree.kind, tree.age_range, tree.status
        )
    assert summaries[0].status_label == "ждёт отправки"
    assert summaries[2].status_label == "сертифицирована"


def test_list_all_of_some_statuses(database: Database) -> None:
    certified = make_program("Шахматы")
    draft = dataclasses.replace(make_program("Английский язык"), status=CertificationStatus.DRAFT)
    _save(database, certified, draft)

    with database.read() as work:
        assert work.programs.list_all((CertificationStatus.DRAFT, CertificationStatus.REFUSED)) == [draft]
        assert work.programs.summaries()[0].program.status is CertificationStatus.DRAFT
