"""A workstation database with what contracts' documents are made of: the organization's requisites, a
certified program and contracts of different children, written through the repositories."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.storage.database import Database
from tests.reports.builders import make_contract, make_group, make_module, make_organization, make_program

NOW = datetime(2026, 9, 10, 7, 0, tzinfo=UTC)
TODAY = date(2026, 9, 10)
CHILDREN = (
    "Соколов-Ёлкин Фёдор Игоревич",
    "Иванова Мария Петровна",
    "Петров Пётр",
    "Ёлкина Алёна Сергеевна",
    "Щукин Артём Ильич",
)


def contract_number(index: int) -> str:
    return f"{17 + index}-ПФ"


def store_documents_world(
    database: Database,
    count: int,
    *,
    requisites: bool = True,
    paid_by_certificate: bool = False,
) -> list[Contract]:
    """Store the organization (unless ``requisites`` is False), the program and ``count`` contracts.

    The contracts are paid by the parent in full unless ``paid_by_certificate``: the certificate's part needs
    the organization's agreement with the payer, which reaches a workstation by sync, not through this helper.
    """
    group = make_group()
    module = make_module(group)
    program = make_program(module)
    template = make_contract(module, group)
    if not paid_by_certificate:
        template = dataclasses.replace(template, from_certificate=0, co_payment=template.price)
    contracts = [
        dataclasses.replace(
            template,
            id=uuid.uuid4(),
            provisional_number=f"П-TEST-{index + 1}",
            number=contract_number(index),
            status=ContractStatus.CONFIRMED,
            certificate_number=f"42010000{index:02d}",
            child_full_name=CHILDREN[index % len(CHILDREN)],
        )
        for index in range(count)
    ]
    with database.write() as work:
        if requisites:
            work.organization.save(make_organization(), NOW)
        work.programs.save(program, NOW)
        for contract in contracts:
            work.contracts.save(contract, NOW)
    return contracts
