"""«Реквизиты организации»: the organization's admin fills them in once; contracts print them.

Offline-first like every other edit: «Сохранить» stores the requisites and queues them for the server.
A clerk sees them read-only. A sync never overwrites what the admin is typing: the page reloads only
when the form holds no unsaved changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.errors import ExpectedError
from desktop_app.services.requisites import RequisitesInvalidError, RequisitesService, RequisitesState
from ui.requisites.form import DATE_FORMAT, FIELD_LABELS, RequisitesForm
from ui.task_runner import Lane, TaskRunner

AGREEMENT_COLUMNS = ("Плательщик", "Номер", "Дата", "Действует", "Статус")
READ_ONLY = "Реквизиты меняет администратор организации; здесь они показаны для сведения."
NO_AGREEMENTS = "Соглашений пока нет: их регистрирует оператор, они приходят при синхронизации."


class RequisitesPage(QWidget):
    requisites_changed = Signal()
    """The admin saved requisites here (the sync queue grew)."""
    loaded = Signal()

    def __init__(self, requisites: RequisitesService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._requisites = requisites
        self._runner = runner
        self._stored = OrganizationProfile()
        self._can_edit = False
        self.dirty = False

        heading = QLabel("Реквизиты организации")
        heading.setObjectName("pageHeading")
        self.notice = QLabel()
        self.notice.setObjectName("pageNotice")
        self.notice.setWordWrap(True)
        self.form = RequisitesForm()
        self.form.edited.connect(self._edited)
        agreements_box = self._agreements_box()
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 12, 0)
        content_layout.addWidget(self.form)
        content_layout.addWidget(agreements_box)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)

        self.message = QLabel()
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = self._button_row()
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.notice)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._update_buttons()

    def _agreements_box(self) -> QGroupBox:
        self.agreements = self._agreements_table()
        self.no_agreements = QLabel(NO_AGREEMENTS)
        self.no_agreements.setObjectName("pageNotice")
        self.no_agreements.setWordWrap(True)
        box = QGroupBox("Соглашения с уполномоченными организациями (ведёт оператор)")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.agreements)
        box_layout.addWidget(self.no_agreements)
        return box

    def _button_row(self) -> QHBoxLayout:
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.save_button = QPushButton("Сохранить")
        self.save_button.setToolTip("Сохранить реквизиты и отправить их на сервер (Ctrl+S)")
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.revert_button = QPushButton("Отменить изменения")
        self.revert_button.clicked.connect(lambda _checked=False: self.revert())
        row = QHBoxLayout()
        row.addWidget(self.missing, 1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        return row

    def _agreements_table(self) -> QTableWidget:
        table = QTableWidget(0, len(AGREEMENT_COLUMNS))
        table.setHorizontalHeaderLabels(AGREEMENT_COLUMNS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(AGREEMENT_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.setMaximumHeight(160)
        return table

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Re-read the requisites, unless the admin has unsaved changes in the form."""
        if self.dirty:
            return
        requisites = self._requisites
        self._runner.run(Lane.DATABASE, "requisites", lambda _control: requisites.state(), self._show)

    def _show(self, state: RequisitesState) -> None:
        if self.dirty:
            return
        self._stored = state.profile
        self._can_edit = state.can_edit
        self.form.load(state.profile)
        self.form.set_read_only(not state.can_edit)
        self._show_agreements(state.profile.payment_agreements)
        self._show_state(state)
        self._update_buttons()
        self.loaded.emit()

    def _show_state(self, state: RequisitesState) -> None:
        notices = [] if state.can_edit else [READ_ONLY]
        if state.waiting:
            notices.append("Последние изменения ждут отправки на сервер.")
        self.notice.setText(" ".join(notices))
        self.notice.setVisible(bool(notices))
        missing = list(dict.fromkeys(FIELD_LABELS[error.field] for error in state.missing))
        if missing:
            self.missing.setText("Для печати договоров не хватает: " + ", ".join(missing) + ".")
        else:
            self.missing.setText("Реквизиты заполнены: договоры печатаются полностью.")

    def _show_agreements(self, agreements: tuple[PaymentAgreement, ...]) -> None:
        self.agreements.setRowCount(len(agreements))
        for row, agreement in enumerate(agreements):
            period = (
                f"{agreement.starts_on:{DATE_FORMAT}} – {agreement.ends_on:{DATE_FORMAT}}"
                if agreement.starts_on and agreement.ends_on
                else ""
            )
            texts = (
                agreement.payer_name,
                agreement.number,
                agreement.signed_on.strftime(DATE_FORMAT),
                period,
                "действует" if agreement.active else "не действует",
            )
            for column, text in enumerate(texts):
                self.agreements.setItem(row, column, QTableWidgetItem(text))
        self.agreements.setVisible(bool(agreements))
        self.no_agreements.setVisible(not agreements)

    # ------------------------------------------------------------ editing

    def _edited(self) -> None:
        self.dirty = True
        self.message.hide()
        self.form.check(self._stored)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setVisible(self._can_edit)
        self.revert_button.setVisible(self._can_edit)
        self.save_button.setEnabled(self._can_edit and self.dirty and not self.form.problems)
        self.revert_button.setEnabled(self.dirty)

    def revert(self) -> None:
        """Drop what was typed since the last save and show the stored requisites."""
        self.dirty = False
        self.message.hide()
        self.refresh()

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        profile = self.form.profile(self._stored)
        requisites = self._requisites
        self.save_button.setEnabled(False)
        self._runner.run(
            Lane.DATABASE,
            "save-requisites",
            lambda _control: requisites.save(profile),
            self._saved,
            on_failure=self._failed,
        )

    def _saved(self, state: RequisitesState) -> None:
        self.dirty = False
        self._show(state)
        self.requisites_changed.emit()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, RequisitesInvalidError):
            self.form.show_errors(error.errors)
        elif isinstance(error, ExpectedError):
            self.message.setText(error.user_message)
            self.message.show()
        else:
            self._runner.report_error(error)
        self._update_buttons()
