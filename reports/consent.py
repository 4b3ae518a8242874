"""The consent to processing of personal data (согласие на обработку персональных данных), as flowables.

A separate document, as the Federal Law of 27.07.2006 № 152-ФЗ requires since 1 September 2025. Its items
follow part 4 of article 9: the subject and the representative with their documents, the operator, the
purposes, the list of data, the third parties, the actions and ways of processing, the term and revocation.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop_app.domain.age import years_phrase
from reports.formatting import initials, long_date, markup, short_date
from reports.model import ContractDocument
from reports.styles import FRAME_WIDTH, Cell, Styles, paragraph, plain_table

BLANK = "_" * 30


def consent_title(document: ContractDocument) -> str:
    return f"Согласие на обработку персональных данных к договору № {document.number}"


def consent_story(document: ContractDocument, styles: Styles) -> list[Flowable]:
    """The consent's flowables, in print order."""
    organization, contract = document.organization, document.contract
    payer = document.payment_agreement.payer_name if document.payment_agreement else "уполномоченной организации"
    parent_document = contract.parent_document.strip() or BLANK
    story: list[Flowable] = [
        paragraph("СОГЛАСИЕ", styles.title),
        paragraph("на обработку персональных данных", styles.subtitle),
        paragraph("родителя (законного представителя) и несовершеннолетнего обучающегося", styles.subtitle),
        Spacer(1, 3 * mm),
        plain_table(
            [
                [
                    paragraph(markup(document.place), styles.body_left),
                    paragraph(long_date(document.document_date), styles.right),
                ]
            ],
            [FRAME_WIDTH / 2, FRAME_WIDTH / 2],
        ),
        Spacer(1, 3 * mm),
        paragraph(
            f"Я, <b>{markup(contract.parent_full_name)}</b>, адрес места жительства: "
            f"{markup(contract.parent_address or BLANK)}, "
            f"документ, удостоверяющий личность: {markup(parent_document)}, "
            "— родитель (законный представитель) несовершеннолетнего обучающегося — "
            f"<b>{markup(contract.child_full_name)}</b>, дата рождения: {short_date(contract.child_birth_date)}, "
            f"адрес места жительства: {markup(contract.child_address or BLANK)} (далее — Обучающийся), "
            f"документ, подтверждающий полномочия законного представителя: {BLANK} (свидетельство о рождении "
            "или иной документ), в соответствии со статьёй 9 Федерального закона от 27 июля 2006\u00a0г. №\u00a0152-ФЗ "
            "«О персональных данных» свободно, своей волей и в своём интересе, а также в интересе Обучающегося "
            "даю конкретное, предметное, информированное, сознательное и однозначное согласие оператору — "
            f"{markup(organization.full_name)} (ИНН {markup(organization.inn)}, ОГРН {markup(organization.ogrn)}), "
            f"адрес: {markup(organization.legal_address)} (далее — Оператор), на обработку моих персональных "
            "данных и персональных данных Обучающегося на следующих условиях.",
            styles.body,
        ),
    ]
    items = (
        (
            "Цели обработки",
            f"заключение и исполнение договора об образовании №\u00a0{markup(document.number)} "
            f"от {short_date(document.document_date)}; зачисление Обучающегося и организация его обучения "
            "по дополнительной общеобразовательной программе; учёт Обучающегося и использование сертификата "
            "дополнительного образования в системе персонифицированного финансирования дополнительного "
            "образования; расчёты по договору; информирование родителя (законного представителя) о ходе обучения.",
        ),
        (
            "Персональные данные Обучающегося",
            "фамилия, имя, отчество; дата рождения; адрес места жительства; номер сертификата дополнительного "
            "образования; сведения об образовательной программе, группе, посещаемости и результатах освоения "
            "программы.",
        ),
        (
            "Мои персональные данные",
            "фамилия, имя, отчество; адрес места жительства; номер телефона; адрес электронной почты; сведения "
            "о документе, удостоверяющем личность, и о документе, подтверждающем полномочия законного "
            "представителя.",
        ),
        (
            "Действия с персональными данными и способы обработки",
            "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), извлечение, "
            "использование, передача (предоставление, доступ), обезличивание, блокирование, удаление, "
            "уничтожение; обработка смешанная — с использованием средств автоматизации и без их использования.",
        ),
        (
            "Передача третьим лицам",
            "Оператор вправе передавать (предоставлять) персональные данные в объёме, необходимом для "
            f"достижения указанных целей: уполномоченной организации — {markup(payer)} — для оплаты "
            "образовательных услуг за счёт средств сертификата дополнительного образования; региональному "
            "оператору системы персонифицированного финансирования дополнительного образования — для учёта "
            "сертификата и договора в региональной информационной системе.",
        ),
        (
            "Срок действия согласия",
            "согласие действует со дня его подписания в течение срока действия договора об образовании "
            f"и {years_phrase(document.retention_years)} после его прекращения, после чего персональные данные "
            "уничтожаются или обезличиваются.",
        ),
        (
            "Порядок отзыва согласия",
            "согласие может быть отозвано мной в любой момент путём направления Оператору письменного "
            f"заявления по адресу: {markup(organization.legal_address)}. В случае отзыва согласия Оператор "
            "прекращает обработку персональных данных и уничтожает их в срок, не превышающий тридцати дней "
            "с даты поступления отзыва, если иное не предусмотрено федеральным законом; Оператор вправе "
            "продолжить обработку без согласия при наличии оснований, указанных в пунктах 2–11 части 1 "
            "статьи 6, части 2 статьи 10 и части 2 статьи 11 Федерального закона «О персональных данных».",
        ),
    )
    for number, (title, text) in enumerate(items, start=1):
        story.append(paragraph(f"<b>{number}. {title}:</b> {text}", styles.body))
    closing = paragraph(
        "Права субъекта персональных данных, предусмотренные главой 3 Федерального закона «О персональных "
        "данных», мне разъяснены. Настоящее согласие оформлено отдельно от иных документов.",
        styles.body,
    )
    # The last statement and the signature go together: a signature alone on a page signs nothing.
    story.append(KeepTogether([closing, Spacer(1, 8 * mm), _signature(document, styles)]))
    return story


def _signature(document: ContractDocument, styles: Styles) -> Flowable:
    half = FRAME_WIDTH / 2
    rows: list[list[Cell]] = [
        [
            paragraph(long_date(document.document_date), styles.body_left),
            paragraph(f"{'_' * 18} / {markup(initials(document.contract.parent_full_name))} /", styles.right),
        ],
        ["", paragraph("подпись родителя (законного представителя)", styles.small_center)],
    ]
    return plain_table(rows, [half, half])
