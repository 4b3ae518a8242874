"""The documents of a contract — the contract, the enrollment application, the consent — as PDF, one or many.

``DocumentService`` reads what the documents state (the contract, its program, module and group, the
organization's requisites) in one read-only unit of work, gathers it with ``reports.model`` and renders it
with ``reports.render``: one PDF with all three documents, or one PDF per document, as the clerk chooses.
A batch renders many contracts into a folder, reports progress and stops between contracts when cancelled;
every file is written under a temporary name and renamed, so a stopped batch or a full disk leaves no
half-written document. Nothing here knows Qt: the UI runs these blocking calls on its task runner.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from desktop_app.domain.contract import Contract
from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.program import Group, Module, Program
from desktop_app.errors import ExpectedError
from desktop_app.progress import TaskControl
from desktop_app.storage.database import Database
from reports.model import DocumentDataError, build_contract_document
from reports.render import ALL_PARTS, RenderedPdf, render_documents
from reports.template import ClauseTemplate, load_clause_template

_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
MAX_FILE_STEM = 150
"""Characters of a file name before «.pdf»: far below Windows' limits, even inside a deep folder."""


def initials_name(full_name: str) -> str:
    """«Соколов-Ёлкин Фёдор Игоревич» → «Соколов-Ёлкин Ф. И.»; a single word stays as it is."""
    surname, *given = full_name.split()
    return " ".join([surname, *(f"{name[0]}." for name in given)])


def safe_file_name(stem: str, suffix: str = ".pdf") -> str:
    """A file name Windows, macOS and Linux all accept: no ``\\/:*?"<>|``, no control characters, no trailing
    dot or space, one space between words, at most ``MAX_FILE_STEM`` characters before the suffix."""
    cleaned = _UNSAFE_IN_FILE_NAMES.sub("_", " ".join(stem.split()))
    cleaned = cleaned[:MAX_FILE_STEM].rstrip(" .")
    return f"{cleaned or 'Документы'}{suffix}"


def contract_label(number: str, child_full_name: str) -> str:
    """How files, windows and batches name a contract: «17-ПФ — Соколов-Ёлкин Ф. И.»."""
    if not child_full_name.strip():
        return number
    return f"{number} — {initials_name(child_full_name)}"


def _file_name(pdf: RenderedPdf, number: str, contract: Contract) -> str:
    what = pdf.parts[0].label if len(pdf.parts) == 1 else "Документы по договору"
    return safe_file_name(f"{what} {contract_label(number, contract.child_full_name)}")


@dataclass(frozen=True, slots=True)
class ContractDocuments:
    """The rendered documents of one contract; each file has its suggested name (``RenderedPdf.file_name``)."""

    contract: Contract
    number: str
    """The number the documents carry: the final one, or the provisional one of a draft."""
    files: tuple[RenderedPdf, ...]

    @property
    def title(self) -> str:
        """«Договор № 17-ПФ — Соколов-Ёлкин Ф. И.», for a window or a print job."""
        return f"Документы по договору № {contract_label(self.number, self.contract.child_full_name)}"


@dataclass(frozen=True, slots=True)
class BatchProblem:
    """A contract of a batch whose documents could not be made, and why (the clerk's message)."""

    contract: str
    message: str


@dataclass(frozen=True, slots=True)
class BatchResult:
    done: int
    """Contracts whose documents were saved (or handed on)."""
    problems: tuple[BatchProblem, ...]
    files: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class _Sources:
    organization: OrganizationProfile
    contract: Contract
    program: Program | None


class DocumentService:
    def __init__(self, database: Database, today: Callable[[], date] = date.today) -> None:
        self._database = database
        self._today = today

    def render(
        self, contract_id: uuid.UUID, *, combined: bool = True, template: ClauseTemplate | None = None
    ) -> ContractDocuments:
        """The contract's three documents: one PDF (``combined``) or three.

        The documents carry the date of signing once the contract is signed, today's date before.

        Raises:
            ExpectedError: the contract or its group is not on this workstation.
            DocumentDataError: the requisites, the program or the payment agreement lack something the
                documents must state (the message says what to fill in).
            TemplateError: the contract's clause template is broken.
        """
        return self._render(self._read(contract_id), combined, template)

    def save_batch(
        self, contract_ids: Sequence[uuid.UUID], folder: Path, control: TaskControl, *, combined: bool = True
    ) -> BatchResult:
        """Save the documents of every contract into ``folder``; an existing file of the same name is replaced.

        A contract whose documents cannot be made is listed in the result and the batch goes on.

        Raises:
            Cancelled: the batch was cancelled (files of the contracts done before stay, complete).
            TemplateError: the contract's clause template is broken.
        """
        written: list[Path] = []

        def save(documents: ContractDocuments) -> None:
            for pdf in documents.files:
                path = folder / pdf.file_name
                write_atomically(path, pdf.data)
                written.append(path)

        result = self.each_rendered(contract_ids, control, save, combined=combined)
        return replace(result, files=tuple(written))

    def each_rendered(
        self,
        contract_ids: Sequence[uuid.UUID],
        control: TaskControl,
        consume: Callable[[ContractDocuments], None],
        *,
        combined: bool = True,
    ) -> BatchResult:
        """Render the contracts one by one and hand each one's documents to ``consume`` (save, print).

        Progress is reported before and after each contract; cancellation is honoured between contracts. A contract
        whose documents cannot be made (an expected problem) is listed in the result and the batch goes on.
        """
        template = load_clause_template()
        total = len(contract_ids)
        problems: list[BatchProblem] = []
        for index, contract_id in enumerate(contract_ids):
            control.check()
            problem = self._one(contract_id, consume, combined, template, partial(control.report, index, total))
            if problem is not None:
                problems.append(problem)
            control.report(index + 1, total)
        return BatchResult(total - len(problems), tuple(problems))

    def _one(
        self,
        contract_id: uuid.UUID,
        consume: Callable[[ContractDocuments], None],
        combined: bool,
        template: ClauseTemplate,
        announce: Callable[[str], None],
    ) -> BatchProblem | None:
        """One contract of a batch: its documents handed on, or the problem that stopped them."""
        try:
            sources = self._read(contract_id)
        except ExpectedError as error:
            return BatchProblem("—", error.user_message)
        label = contract_label(sources.contract.display_number, sources.contract.child_full_name)
        announce(f"Договор {label}")
        try:
            documents = self._render(sources, combined, template)
        except DocumentDataError as error:
            return BatchProblem(label, error.user_message)
        consume(documents)
        return None

    def _read(self, contract_id: uuid.UUID) -> _Sources:
        with self._database.read() as work:
            contract = work.contracts.get(contract_id)
            if contract is None:
                raise ExpectedError("Договор не найден: возможно, его удалили. Обновите список договоров.")
            program = work.programs.get(contract.program_id, with_archived=True)
            organization = work.organization.get() or OrganizationProfile()
        return _Sources(organization, contract, program)

    def _render(self, sources: _Sources, combined: bool, template: ClauseTemplate | None) -> ContractDocuments:
        contract = sources.contract
        program, module, group = _placement(contract, sources.program)
        document = build_contract_document(
            sources.organization,
            contract,
            program,
            module,
            group,
            document_date=contract.signed_on or self._today(),
        )
        rendered = render_documents(document, ALL_PARTS, combined=combined, template=template)
        files = tuple(replace(pdf, file_name=_file_name(pdf, document.number, contract)) for pdf in rendered)
        return ContractDocuments(contract, document.number, files)


def _placement(contract: Contract, program: Program | None) -> tuple[Program, Module, Group]:
    """The contract's program, module and group, as this workstation has them."""
    module = next((item for item in program.modules if item.id == contract.module_id), None) if program else None
    group = next((item for item in module.groups if item.id == contract.group_id), None) if module else None
    if program is None or module is None or group is None:
        raise DocumentDataError(
            f"Программа, модуль или группа договора № {contract.display_number} не найдены на этом рабочем "
            "месте. Синхронизируйтесь с сервером."
        )
    return program, module, group


def write_atomically(path: Path, data: bytes) -> None:
    """Write the file under a temporary name beside it, then rename: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.part")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
