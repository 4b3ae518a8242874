"""Tests of the organization profile: a single row, absent until the first save."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest

from desktop_app.domain.organization import OrganizationProfile
from desktop_app.storage.database import Database
from tests.storage.builders import NOW, make_organization, query_rows, row_count


def test_there_is_no_profile_before_the_first_save(database: Database) -> None:
    with database.read() as work:
        assert work.organization.get() is None


def test_a_saved_profile_comes_back_equal(database: Database) -> None:
    profile = make_organization()

    with database.write() as work:
        work.organization.save(profile, NOW)

    with database.read() as work:
        assert work.organization.get() == profile


def test_an_empty_profile_round_trips(database: Database) -> None:
    with database.write() as work:
        work.organization.save(OrganizationProfile(), NOW)

    with database.read() as work:
        assert work.organization.get() == OrganizationProfile()


def test_a_second_save_updates_the_single_row(database: Database) -> None:
    with database.write() as work:
        work.organization.save(make_organization(), NOW)
    renamed = dataclasses.replace(make_organization("МАУ ДО «Центр детского творчества»"), license_date=None, kpp="")

    with database.write() as work:
        work.organization.save(renamed, NOW + timedelta(days=1))

    with database.read() as work:
        assert work.organization.get() == renamed
    assert row_count(database.path, "organization_profile") == 1
    assert query_rows(database.path, "SELECT id FROM organization_profile") == [(1,)]


def test_the_database_refuses_a_second_profile_row(database: Database) -> None:
    with database.write() as work:
        work.organization.save(make_organization(), NOW)
    columns = [str(row[1]) for row in query_rows(database.path, "PRAGMA table_info(organization_profile)")]
    assert columns[0] == "id"
    copy_as_row_2 = (
        f"INSERT INTO organization_profile ({', '.join(columns)}) "
        f"SELECT 2, {', '.join(columns[1:])} FROM organization_profile"
    )

    with closing(sqlite3.connect(database.path)) as connection, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        connection.execute(copy_as_row_2)

    assert row_count(database.path, "organization_profile") == 1
