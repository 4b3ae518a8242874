"""The enrollment application (заявление о зачислении) the parent signs, as flowables."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from reports.formatting import amount, date_in_words, initials, long_date, markup, or_dash, short_date
from reports.model import ContractDocument
from reports.styles import FRAME_WIDTH, Cell, Styles, grid_table, paragraph, plain_table

ADDRESSEE_WIDTH = 100 * mm
SIGNATURE = "_" * 18


def application_title(document: ContractDocument) -> str:
    return f"Заявление о зачислении по договору № {document.number}"


def application_story(document: ContractDocument, styles: Styles) -> list[Flowable]:
    """The application's flowables, in print order."""
    organization, contract, program, split = (
        document.organization,
        document.contract,
        document.program,
        document.split,
    )
    story: list[Flowable] = [_addressee(document, styles), Spacer(1, 8 * mm)]
    story.append(paragraph("ЗАЯВЛЕНИЕ", styles.title))
    story.append(paragraph("о зачислении на обучение по дополнительной общеобразовательной программе", styles.subtitle))
    story.append(Spacer(1, 5 * mm))
    story.append(
        paragraph(
            "Прошу зачислить моего ребёнка (подопечного) на обучение по дополнительной общеобразовательной "
            "программе в рамках системы персонифицированного финансирования дополнительного образования "
            f"на условиях договора об образовании №\u00a0{markup(document.number)} "
            f"от {short_date(document.document_date)}.",
            styles.body,
        )
    )
    cost = (
        f"{amount(split.price)}, в том числе за счёт средств сертификата — {amount(split.from_certificate)}, "
        f"оплачивает родитель (законный представитель) — {amount(split.co_payment)}"
    )
    fields = [
        ("Фамилия, имя, отчество обучающегося", contract.child_full_name),
        ("Дата рождения", short_date(contract.child_birth_date)),
        ("Адрес места жительства", or_dash(contract.child_address)),
        ("Номер сертификата дополнительного образования", contract.certificate_number),
        ("Образовательная программа", program.full_name),
        ("Направленность", program.direction),
        ("Модуль (год обучения)", program.module_name),
        ("Группа", program.group_name),
        ("Форма обучения", program.form),
        ("Период обучения", f"с {date_in_words(split.contract_start)} по {date_in_words(split.contract_end)}"),
        ("Стоимость обучения", cost),
    ]
    rows: list[list[Cell]] = [
        [paragraph(markup(label), styles.cell_bold), paragraph(markup(value), styles.cell)] for label, value in fields
    ]
    story.extend([Spacer(1, 2 * mm), grid_table(rows, [62 * mm, FRAME_WIDTH - 62 * mm], header_rows=0)])
    story.append(Spacer(1, 4 * mm))
    statements = (
        f"С уставом {markup(organization.short_name or organization.full_name)}, лицензией на осуществление "
        "образовательной деятельности, образовательной программой и другими документами, регламентирующими "
        "организацию и осуществление образовательной деятельности, права и обязанности обучающихся, "
        "ознакомлен(а).",
        "Даю согласие на использование средств сертификата дополнительного образования "
        f"№\u00a0{markup(contract.certificate_number)} для оплаты обучения по указанной программе в объёме, "
        "предусмотренном договором об образовании.",
        "Сведения, указанные в заявлении, подтверждаю.",
    )
    # The statements and the signatures go together: a signature alone on a page signs nothing.
    closing: list[Flowable] = [paragraph(text, styles.body) for text in statements]
    closing.extend([Spacer(1, 8 * mm), _signatures(document, styles)])
    story.append(KeepTogether(closing))
    return story


def _addressee(document: ContractDocument, styles: Styles) -> Flowable:
    organization, contract = document.organization, document.contract
    lines = [
        f"В {markup(organization.full_name)}",
        f"от родителя (законного представителя): <b>{markup(contract.parent_full_name)}</b>",
        f"Адрес: {markup(or_dash(contract.parent_address))}",
        f"Телефон: {markup(or_dash(contract.parent_phone))}",
    ]
    if contract.parent_email:
        lines.append(f"Эл. почта: {markup(contract.parent_email)}")
    block = [paragraph(line, styles.body_left) for line in lines]
    return plain_table([["", block]], [FRAME_WIDTH - ADDRESSEE_WIDTH, ADDRESSEE_WIDTH])


def _signatures(document: ContractDocument, styles: Styles) -> Flowable:
    contract = document.contract
    half = FRAME_WIDTH / 2
    rows: list[list[Cell]] = [
        [
            paragraph(long_date(document.document_date), styles.body_left),
            paragraph(f"{SIGNATURE} / {markup(initials(contract.parent_full_name))} /", styles.right),
        ],
        ["", paragraph("подпись родителя (законного представителя)", styles.small_center)],
        [Spacer(1, 8 * mm), ""],
        [
            paragraph("Заявление принято:", styles.body_left),
            paragraph(f"{SIGNATURE} / {SIGNATURE} /", styles.right),
        ],
        ["", paragraph("подпись и расшифровка подписи работника организации", styles.small_center)],
    ]
    return plain_table(rows, [half, half])
