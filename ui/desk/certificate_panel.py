"""What a certificate check found, as the clerk reads it: the child, the certificate, the money, the contracts.

Online it names the child; offline it says how old its data is («по данным на 12.09.2026 10:41, нет связи с
сервером») and that the payer's agreement will be checked by the server. What stops an enrollment (frozen,
expired, no agreement) is said in red, in the service's words.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from desktop_app.services.certificates import NO_CONNECTION, CertificateCheck, CertificateState
from desktop_app.services.contract_views import ContractView
from desktop_app.services.contracts import usability_problem
from ui.desk.formatting import STYLE, age_text, certificate_text, day_text, moment_text, money_text, period_text

STATE_COLOURS = {
    CertificateState.VALID: "#2e7d32",
    CertificateState.FROZEN: "#b71c1c",
    CertificateState.EXPIRED: "#b71c1c",
}
OFFLINE_DETAILS = "Без связи не видны ФИО ребёнка и соглашение с плательщиком: их проверит сервер."
EMPTY_TEXT = "Введите номер сертификата и фамилию ребёнка и нажмите Enter: здесь появятся данные сертификата."


def offline_text(check: CertificateCheck) -> str:
    """«по данным на 12.09.2026 10:41, нет связи с сервером»."""
    moment = moment_text(check.as_of) if check.as_of else "последней синхронизации"
    return f"по данным на {moment}, {check.offline_reason or NO_CONNECTION}"


def contract_line(view: ContractView) -> str:
    contract = view.contract
    return (
        f"• {contract.display_number}: {view.placement_text}, "
        f"{period_text(contract.start_date, contract.end_date)} — {contract.status.label}"
    )


def _label(text: str = "", *, name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class CertificatePanel(QFrame):
    """Shows one ``CertificateCheck`` (or a problem, or a hint when there is nothing yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskPanel")
        self.setStyleSheet(STYLE)
        self.hint = _label(EMPTY_TEXT, name="deskHint")
        self.problem = _label(name="deskProblem")
        self.name = _label(name="deskName")
        self.offline = _label(name="deskWarning")
        self.number = _label()
        self.kind = _label()
        self.birth = _label()
        self.state = _label()
        self.agreement = _label()
        self.balance_current = _label(name="deskAmount")
        self.balance_next = _label(name="deskAmount")
        self.contracts_title = _label("Договоры ребёнка с организацией:")
        self.contracts = _label()
        self.unusable = _label(name="deskProblem")

        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Сертификат:", self.number)
        form.addRow("Вид:", self.kind)
        form.addRow("Дата рождения:", self.birth)
        form.addRow("Состояние:", self.state)
        form.addRow("Соглашение:", self.agreement)
        form.addRow("Остаток сейчас:", self.balance_current)
        form.addRow("В следующем периоде:", self.balance_next)
        for row, tip in (
            (4, "Соглашение организации с плательщиком по сертификату"),
            (5, "Свободный остаток сертификата в текущем периоде финансирования"),
            (6, "Остаток сертификата в следующем периоде финансирования"),
        ):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                label.setToolTip(tip)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        for widget in (self.hint, self.problem, self.name, self.offline, self.details, self.unusable):
            layout.addWidget(widget)
        layout.addWidget(self.contracts_title)
        layout.addWidget(self.contracts)
        layout.addStretch(1)
        self.clear()

    # ------------------------------------------------------------ states

    def clear(self, hint: str = EMPTY_TEXT) -> None:
        """Nothing checked yet (or the form was reset for the next parent)."""
        self.hint.setText(hint)
        self._show(hint=True)

    def show_problem(self, text: str) -> None:
        """The check failed: malformed number, not found, no mirror yet…"""
        self.problem.setText(text)
        self._show(problem=True)

    def show_check(self, check: CertificateCheck, contracts: list[ContractView], today: date) -> None:
        self.name.setText(check.child_full_name or f"Сертификат {certificate_text(check.number)}")
        self.offline.setText(f"Проверено {offline_text(check)}. {OFFLINE_DETAILS}" if check.offline else "")
        self.number.setText(certificate_text(check.number))
        self.kind.setText(check.kind.label)
        self.birth.setText(f"{day_text(check.birth_date)} ({age_text(check.birth_date, today)})")
        self.state.setText(check.state.label)
        self.state.setStyleSheet(f"color: {STATE_COLOURS[check.state]}; font-weight: bold;")
        if check.agreement_active is None:
            self.agreement.setText("проверит сервер")
        else:
            self.agreement.setText("действует" if check.agreement_active else "нет")
        self.balance_current.setText(money_text(check.balance_current))
        self.balance_next.setText(money_text(check.balance_next))
        problem = usability_problem(check)
        self.unusable.setText(problem or "")
        lines = [contract_line(view) for view in contracts]
        self.contracts.setText("\n".join(lines) if lines else "Договоров с организацией нет.")
        self._show(check=True, offline=check.offline, unusable=problem is not None)

    def _show(
        self,
        *,
        hint: bool = False,
        problem: bool = False,
        check: bool = False,
        offline: bool = False,
        unusable: bool = False,
    ) -> None:
        self.hint.setVisible(hint)
        self.problem.setVisible(problem)
        for widget in (self.name, self.details, self.contracts_title, self.contracts):
            widget.setVisible(check)
        self.offline.setVisible(offline)
        self.unusable.setVisible(unusable)

    def text(self) -> str:
        """Everything the panel shows now, for tests and for reading aloud."""
        labels = [label for label in self.findChildren(QLabel) if label.isVisibleTo(self) and label.text()]
        return "\n".join(label.text() for label in labels)
