"""Contract documents: one contract (contract, application and consent in one PDF) and a batch of contracts.

The contracts, programs and the organization are read from the region's workstation database beforehand;
what is timed is building the document data and rendering the PDF. Limit: a bare reportlab document with
the same text (extracted from the rendered PDF) in the same font, one paragraph per line, on the same page.
"""

from __future__ import annotations

import io
import sqlite3
import sys
import uuid
from collections.abc import Sequence
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from bench.client_db import NOW, ClientRegion, client_database, organization_profile
from bench.common import SCALES, Result, median, parse, report, time_result, timed_ms
from desktop_app.domain.contract import Contract
from desktop_app.domain.program import Program
from desktop_app.storage.database import Database
from reports.fonts import SERIF, register_fonts
from reports.model import ContractDocument, build_contract_document
from reports.render import render_documents
from reports.styles import PAGE_HEIGHT, PAGE_WIDTH

ONE_REPEATS = 15
TEXT_SAMPLES = 20
MAX_RATIO = 2.0
BATCH_CEILING_MS = 30_000.0
Loaded = tuple[Contract, Program]


def load_contracts(region: ClientRegion, count: int) -> list[Loaded]:
    """Contracts with a final number, and their programs, through the storage layer."""
    with sqlite3.connect(region.path) as connection:
        ids = [
            uuid.UUID(hex=row[0])
            for row in connection.execute(
                "SELECT id FROM contracts WHERE number IS NOT NULL AND status = 'active' ORDER BY provisional_number "
                "LIMIT ?",
                (count,),
            )
        ]
    database = Database.open(region.path)
    loaded: list[Loaded] = []
    programs: dict[uuid.UUID, Program] = {}
    try:
        with database.read() as work:
            for contract_id in ids:
                contract = work.contracts.get(contract_id)
                assert contract is not None
                if contract.program_id not in programs:
                    program = work.programs.get(contract.program_id)
                    assert program is not None
                    programs[contract.program_id] = program
                loaded.append((contract, programs[contract.program_id]))
    finally:
        database.close()
    return loaded


def document_of(contract: Contract, program: Program) -> ContractDocument:
    module = next(module for module in program.modules if module.id == contract.module_id)
    group = next(group for group in module.groups if group.id == contract.group_id)
    return build_contract_document(organization_profile(), contract, program, module, group, document_date=NOW.date())


def product_pdf(loaded: Loaded) -> bytes:
    return render_documents(document_of(*loaded))[0].data


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def bare_pdf(pages: list[str]) -> bytes:
    """The limit: the same text in the same font, laid out by reportlab with nothing else."""
    style = ParagraphStyle("bare", fontName=SERIF, fontSize=10, leading=12)
    story: list[object] = []
    for page in pages:
        story.extend(Paragraph(escape(line), style) for line in page.splitlines() if line.strip())
        story.append(PageBreak())
    output = io.BytesIO()
    SimpleDocTemplate(output, pagesize=(PAGE_WIDTH, PAGE_HEIGHT)).build(story)
    return output.getvalue()


def run(argv: Sequence[str] | None = None) -> list[Result]:
    arguments = parse(argv, __doc__ or "")
    scale = SCALES[arguments.scale]
    register_fonts()
    loaded = load_contracts(client_database(arguments.work, scale), scale.documents)
    texts = [page_texts(product_pdf(item)) for item in loaded[:TEXT_SAMPLES]]
    one = median([timed_ms(lambda: product_pdf(loaded[0])) for _ in range(ONE_REPEATS)])
    one_limit = median([timed_ms(lambda: bare_pdf(texts[0])) for _ in range(ONE_REPEATS)])
    batch = timed_ms(lambda: [product_pdf(item) for item in loaded])
    batch_limit = timed_ms(lambda: [bare_pdf(texts[index % len(texts)]) for index in range(len(loaded))])
    results = [
        time_result("pdf_one_contract", one, one_limit, scale, max_ratio=MAX_RATIO),
        time_result(
            "pdf_batch",
            batch,
            batch_limit,
            scale,
            max_ratio=MAX_RATIO,
            ceiling=BATCH_CEILING_MS,
        ),
    ]
    report(results, arguments.out)
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
