"""The requisites as a form: one line per field, its Russian message under it, checked as the admin types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.requisites import entry_errors
from desktop_app.domain.validation import FieldError

TEXT_LIMIT = 500
DATE_FORMAT = "%d.%m.%Y"
BAD_DATE = "Дата — в виде ДД.ММ.ГГГГ, например 01.09.2016."


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    placeholder: str = ""
    max_length: int = TEXT_LIMIT


SECTIONS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    (
        "Организация",
        (
            FieldSpec("full_name", "Полное наименование*", "Как в уставе"),
            FieldSpec("short_name", "Сокращённое наименование", "Например, МБУ ДО «ДДТ № 2»"),
            FieldSpec("inn", "ИНН*", "10 цифр (12 — у ИП)", 12),
            FieldSpec("kpp", "КПП", "9 знаков; у ИП нет", 9),
            FieldSpec("ogrn", "ОГРН", "13 цифр (ОГРНИП — 15)", 15),
        ),
    ),
    (
        "Лицензия на образовательную деятельность",
        (
            FieldSpec("license_number", "Номер", "Например, Л035-01234-42/00123456"),
            FieldSpec("license_date", "Дата выдачи", "ДД.ММ.ГГГГ", 10),
            FieldSpec("license_issuer", "Кем выдана", "Например, Министерство образования Кузбасса"),
        ),
    ),
    (
        "Адреса",
        (
            FieldSpec("legal_address", "Юридический адрес", "Индекс, город, улица, дом"),
            FieldSpec("actual_address", "Фактический адрес", "Где принимают родителей"),
        ),
    ),
    (
        "Банк",
        (
            FieldSpec("bank_name", "Наименование банка"),
            FieldSpec("bik", "БИК", "9 цифр", 9),
            FieldSpec("settlement_account", "Расчётный счёт", "20 цифр", 20),
            FieldSpec("correspondent_account", "Корреспондентский счёт", "20 цифр", 20),
        ),
    ),
    (
        "Подписант договоров",
        (
            FieldSpec("signatory_name", "ФИО", "Фамилия Имя Отчество"),
            FieldSpec("signatory_position", "Должность", "Например, директор"),
            FieldSpec("signatory_basis", "Действует на основании", "Например, Устава"),
        ),
    ),
)
FIELD_LABELS = {spec.name: spec.label.rstrip("*") for _title, specs in SECTIONS for spec in specs}


def parse_day(text: str) -> date | None:
    """«01.09.2016» as a date; None for an empty text. Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    day, month, year = text.split(".")
    if len(day) != 2 or len(month) != 2 or len(year) != 4:
        raise ValueError(text)
    return date(int(year), int(month), int(day))


class RequisitesForm(QWidget):
    edited = Signal()
    """The admin changed a field (the form's problems are up to date when it is emitted)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        labels: list[QLabel] = []
        for title, specs in SECTIONS:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for spec in specs:
                labels.append(QLabel(f"{spec.label}:"))
                form.addRow(labels[-1], self._field(spec))
            layout.addWidget(box)
        # One label column for every box, so the fields line up down the whole page.
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
        self.problems: list[FieldError] = []

    def _field(self, spec: FieldSpec) -> QWidget:
        edit = QLineEdit()
        edit.setObjectName(spec.name)
        edit.setPlaceholderText(spec.placeholder)
        edit.setMaxLength(spec.max_length)
        edit.textEdited.connect(self._changed)
        error = QLabel()
        error.setObjectName("formError")
        error.setWordWrap(True)
        error.hide()
        self.fields[spec.name] = edit
        self.errors[spec.name] = error
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(edit)
        column.addWidget(error)
        return cell

    def load(self, profile: OrganizationProfile) -> None:
        self._loading = True
        for name, edit in self.fields.items():
            value = getattr(profile, name)
            edit.setText(value.strftime(DATE_FORMAT) if isinstance(value, date) else (value or ""))
            edit.setCursorPosition(0)  # a long name shows its beginning
        self._loading = False
        self.show_errors([])

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.fields.values():
            edit.setReadOnly(read_only)

    def profile(self, keep: OrganizationProfile) -> OrganizationProfile:
        """What the form holds, over ``keep`` (the stored profile: agreements and an unparsable date stay)."""
        values = {name: edit.text().strip() for name, edit in self.fields.items() if name != "license_date"}
        return OrganizationProfile(
            **values, license_date=self._license_date(keep), payment_agreements=keep.payment_agreements
        )

    def _license_date(self, keep: OrganizationProfile) -> date | None:
        try:
            return parse_day(self.fields["license_date"].text())
        except ValueError:
            return keep.license_date

    def date_problem(self) -> FieldError | None:
        try:
            parse_day(self.fields["license_date"].text())
        except ValueError:
            return FieldError("license_date", BAD_DATE)
        return None

    def check(self, keep: OrganizationProfile) -> list[FieldError]:
        """The problems of what is typed so far, shown next to their fields."""
        problems = entry_errors(self.profile(keep))
        bad_date = self.date_problem()
        if bad_date is not None:
            problems.append(bad_date)
        self.show_errors(problems)
        return problems

    def show_errors(self, problems: list[FieldError]) -> None:
        self.problems = problems
        by_field = {problem.field: problem.message for problem in problems}
        for name, label in self.errors.items():
            label.setText(by_field.get(name, ""))
            label.setVisible(name in by_field)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()
