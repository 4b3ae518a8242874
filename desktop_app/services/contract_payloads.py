"""Outbox payloads of contract operations, as ``desktop_app.sync.protocol`` describes them."""

from __future__ import annotations

from desktop_app.domain.contract import Contract


def request_payload(contract: Contract) -> dict[str, object]:
    """``contract.request`` v1: the contract made at the desk, with the split shown to the parent."""
    return {
        "id": str(contract.id),
        "provisional_number": contract.provisional_number,
        "certificate_number": contract.certificate_number,
        "child_surname": contract.child_surname,
        "group_id": str(contract.group_id),
        "start_date": contract.start_date.isoformat(),
        "price": contract.price,
        "from_certificate": contract.from_certificate,
        "parent": person_payload(contract),
        "child": child_payload(contract),
    }


def complete_payload(contract: Contract) -> dict[str, object]:
    """``contract.complete`` v1: the parent's and the child's details of a contract the server has."""
    return {"contract_id": str(contract.id), "parent": person_payload(contract), "child": child_payload(contract)}


def person_payload(contract: Contract) -> dict[str, str]:
    return {
        "full_name": contract.parent_full_name,
        "phone": contract.parent_phone,
        "email": contract.parent_email,
        "address": contract.parent_address,
        "identity_document": contract.parent_document,
    }


def child_payload(contract: Contract) -> dict[str, str]:
    return {"full_name": contract.child_full_name, "address": contract.child_address}
