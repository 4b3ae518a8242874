"""The contract (договор об образовании по дополнительной общеобразовательной программе) as flowables.

The clauses come from the editable template (``reports.template``); the title with the QR code, the payment
schedule table and the parties' requisites with signatures are laid out here.
"""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from reports.formatting import (
    amount,
    amount_plain,
    capitalize_first,
    date_in_words,
    hours_phrase,
    initials,
    long_date,
    markup,
    month_name,
    months_phrase,
    or_dash,
    short_date,
    words,
)
from reports.model import ContractDocument
from reports.styles import FRAME_WIDTH, Cell, Styles, grid_table, plain_table
from reports.template import ClauseTemplate

QR_SIZE = 24 * mm


def contract_title(document: ContractDocument) -> str:
    return f"Договор № {document.number} от {short_date(document.document_date)}"


def contract_story(document: ContractDocument, template: ClauseTemplate, styles: Styles) -> list[Flowable]:
    """The contract's flowables, in print order."""
    story: list[Flowable] = [_title(document, styles), Spacer(1, 2 * mm), _place_and_date(document, styles)]
    story.append(Spacer(1, 3 * mm))
    for block in template.fill(clause_values(document)):
        if block.kind == "heading":
            story.append(Paragraph(markup(block.text.upper()), styles.heading))
        elif block.kind == "payment_table":
            story.extend([Spacer(1, 1 * mm), payment_table(document, styles), Spacer(1, 3 * mm)])
        else:
            story.append(Paragraph(markup(block.text), styles.body))
    story.append(_requisites(document, styles))
    return story


def clause_values(document: ContractDocument) -> dict[str, str]:
    """The value of every template placeholder, as plain text."""
    organization, contract, program = document.organization, document.contract, document.program
    agreement = document.payment_agreement
    split = document.split
    license_date = organization.license_date
    return {
        "договор_номер": document.number,
        "договор_дата": date_in_words(document.document_date),
        "место": document.place,
        "организация_полное_наименование": organization.full_name,
        "организация_краткое_наименование": organization.short_name,
        "лицензия_номер": organization.license_number,
        "лицензия_дата": short_date(license_date) if license_date else "—",
        "лицензия_орган": organization.license_issuer,
        "подписант_должность": organization.signatory_position,
        "подписант_фио": organization.signatory_name,
        "подписант_основание": organization.signatory_basis,
        "заказчик_фио": contract.parent_full_name,
        "заказчик_адрес": or_dash(contract.parent_address),
        "заказчик_телефон": or_dash(contract.parent_phone),
        "обучающийся_фио": contract.child_full_name,
        "обучающийся_дата_рождения": short_date(contract.child_birth_date),
        "обучающийся_адрес": or_dash(contract.child_address),
        "сертификат_номер": contract.certificate_number,
        "программа_наименование": program.full_name,
        "программа_вид": program.kind,
        "программа_направленность": program.direction,
        "программа_уровень": program.level,
        "форма_обучения": program.form,
        "программа_срок": months_phrase(program.duration_months),
        "модуль_наименование": program.module_name,
        "модуль_часы": hours_phrase(program.module_hours),
        "дата_начала": date_in_words(split.contract_start),
        "дата_окончания": date_in_words(split.contract_end),
        "группа": program.group_name,
        "педагог": or_dash(program.teacher),
        "расписание": "; ".join(program.schedule_lines) or "по расписанию, утверждённому Исполнителем",
        "адрес_занятий": "; ".join(program.addresses) or or_dash(organization.actual_address),
        "документ_об_обучении": program.final_document.strip() or "не предусмотрен",
        "стоимость_цифрами": amount(split.price),
        "стоимость_прописью": words(split.price),
        "сертификат_цифрами": amount(split.from_certificate),
        "сертификат_прописью": words(split.from_certificate),
        "доплата_цифрами": amount(split.co_payment),
        "доплата_прописью": words(split.co_payment),
        "оплата_до_числа": str(document.payment_due_day),
        "уполномоченная_организация": agreement.payer_name if agreement else "—",
        "соглашение_номер": agreement.number if agreement else "—",
        "соглашение_дата": short_date(agreement.signed_on) if agreement else "—",
        "график_платежей": "",
    }


def qr_drawing(payload: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of the given size (points) with the payload; medium error correction survives a photocopy."""
    widget = QrCodeWidget(payload, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _title(document: ContractDocument, styles: Styles) -> Flowable:
    text = [
        Paragraph(markup(f"ДОГОВОР № {document.number}"), styles.title),
        Paragraph("об образовании по дополнительной общеобразовательной программе", styles.subtitle),
        Paragraph(
            "(в рамках системы персонифицированного финансирования дополнительного образования)", styles.subtitle
        ),
    ]
    code = [
        qr_drawing(document.qr_payload),
        Paragraph(markup(f"Код проверки: {document.verification_code}"), styles.small_center),
    ]
    side = QR_SIZE + 6 * mm
    table = plain_table([[Spacer(side, 1), text, code]], [side, FRAME_WIDTH - 2 * side, side])
    table.setStyle([("VALIGN", (1, 0), (1, 0), "MIDDLE"), ("ALIGN", (2, 0), (2, 0), "CENTER")])
    return table


def _place_and_date(document: ContractDocument, styles: Styles) -> Flowable:
    return plain_table(
        [
            [
                Paragraph(markup(document.place), styles.body_left),
                Paragraph(long_date(document.document_date), styles.right),
            ]
        ],
        [FRAME_WIDTH / 2, FRAME_WIDTH / 2],
    )


def payment_table(document: ContractDocument, styles: Styles) -> Flowable:
    """The monthly schedule: month, from the certificate, from the parent, total; a sum row at the end."""
    header = [
        Paragraph("№", styles.cell_header),
        Paragraph("Месяц", styles.cell_header),
        Paragraph("За счёт средств Сертификата, ₽", styles.cell_header),
        Paragraph("Оплачивает Заказчик, ₽", styles.cell_header),
        Paragraph("Итого за месяц, ₽", styles.cell_header),
    ]
    rows: list[list[Cell]] = [list(header)]
    for index, payment in enumerate(document.schedule, start=1):
        rows.append(
            [
                Paragraph(str(index), styles.cell_right),
                Paragraph(month_name(payment.month), styles.cell),
                Paragraph(amount_plain(payment.from_certificate), styles.cell_right),
                Paragraph(amount_plain(payment.co_payment), styles.cell_right),
                Paragraph(amount_plain(payment.total), styles.cell_right),
            ]
        )
    split = document.split
    rows.append(
        [
            "",
            Paragraph("Итого по Договору", styles.cell_bold),
            Paragraph(amount_plain(split.from_certificate), styles.cell_right_bold),
            Paragraph(amount_plain(split.co_payment), styles.cell_right_bold),
            Paragraph(amount_plain(split.price), styles.cell_right_bold),
        ]
    )
    widths = [10 * mm, 43 * mm]
    rest = (FRAME_WIDTH - sum(widths)) / 3
    return grid_table(rows, [*widths, rest, rest, rest], bold_last_row=True)


def _requisites(document: ContractDocument, styles: Styles) -> Flowable:
    organization, contract = document.organization, document.contract
    license_date = short_date(organization.license_date) if organization.license_date else "—"
    provider_lines = [
        f"<b>{markup(organization.full_name)}</b>",
        f"Сокращённое наименование: {markup(organization.short_name)}",
        f"Юридический адрес: {markup(organization.legal_address)}",
        f"Фактический адрес: {markup(organization.actual_address)}",
        f"ИНН {markup(organization.inn)}" + (f", КПП {markup(organization.kpp)}" if organization.kpp else ""),
        f"ОГРН {markup(organization.ogrn)}",
        f"Лицензия №\u00a0{markup(organization.license_number)} от {license_date}, "
        f"выдана: {markup(organization.license_issuer)}",
        f"Банк: {markup(organization.bank_name)}",
        f"БИК {markup(organization.bik)}",
        f"Расчётный счёт {markup(organization.settlement_account)}",
        f"Корреспондентский счёт {markup(organization.correspondent_account)}",
    ]
    customer_lines = [
        f"<b>{markup(contract.parent_full_name)}</b>",
        f"Адрес: {markup(or_dash(contract.parent_address))}",
        f"Телефон: {markup(or_dash(contract.parent_phone))}",
    ]
    if contract.parent_email:
        customer_lines.append(f"Эл. почта: {markup(contract.parent_email)}")
    if contract.parent_document:
        customer_lines.append(f"Документ, удостоверяющий личность: {markup(contract.parent_document)}")
    customer_lines += [
        "<b>Обучающийся:</b>",
        f"{markup(contract.child_full_name)}, дата рождения: {short_date(contract.child_birth_date)}",
        f"Адрес: {markup(or_dash(contract.child_address))}",
        f"Телефон: {markup(or_dash(contract.parent_phone))}",
        f"Сертификат дополнительного образования №\u00a0{markup(contract.certificate_number)}",
    ]
    half = FRAME_WIDTH / 2
    signature = "_" * 18
    rows: list[list[Cell]] = [
        [Paragraph("<b>Исполнитель</b>", styles.body_left), Paragraph("<b>Заказчик</b>", styles.body_left)],
        [
            [Paragraph(line, styles.cell) for line in provider_lines],
            [Paragraph(line, styles.cell) for line in customer_lines],
        ],
        [
            [
                Paragraph(markup(capitalize_first(organization.signatory_position)), styles.cell),
                Spacer(1, 5 * mm),
                Paragraph(f"{signature} / {markup(initials(organization.signatory_name))} /", styles.cell),
                Paragraph("М. П.", styles.cell),
            ],
            [
                Paragraph("Заказчик", styles.cell),
                Spacer(1, 5 * mm),
                Paragraph(f"{signature} / {markup(initials(contract.parent_full_name))} /", styles.cell),
            ],
        ],
    ]
    table = plain_table(rows, [half, half])
    table.setStyle([("TOPPADDING", (0, 2), (-1, 2), 8)])
    heading = Paragraph("АДРЕСА, РЕКВИЗИТЫ И ПОДПИСИ СТОРОН", styles.heading)
    return KeepTogether([heading, table])
