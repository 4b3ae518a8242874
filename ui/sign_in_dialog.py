"""Sign-in: server address, username, password, «Запомнить меня». The password is never stored.

Signing in talks to the server, so it runs on the task runner; the dialog stays responsive and shows any
problem in its own words under the fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import as_expected
from desktop_app.services.session import SessionService, SignInResult
from ui.task_runner import Lane, TaskRunner

DIALOG_WIDTH = 480


class SignInDialog(QDialog):
    signed_in = Signal(object)
    """Emitted with the ``SignInResult`` before the dialog closes."""

    def __init__(
        self,
        session: SessionService,
        runner: TaskRunner,
        *,
        server_url: str = "",
        username: str = "",
        reason: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self.setWindowTitle("Вход в систему")
        self.server_edit = QLineEdit(server_url)
        self.server_edit.setPlaceholderText("https://pfdo.region.ru")
        self.username_edit = QLineEdit(username)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox("Запомнить меня на этом компьютере")
        self.remember_box.setChecked(True)
        self.message_label = QLabel(reason)
        self.message_label.setObjectName("formError")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(bool(reason))

        form = QFormLayout()
        form.addRow("Адрес сервера:", self.server_edit)
        form.addRow("Имя пользователя:", self.username_edit)
        form.addRow("Пароль:", self.password_edit)
        form.addRow("", self.remember_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Войти")
        self.buttons.accepted.connect(self._sign_in)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.setFixedWidth(DIALOG_WIDTH)
        (self.password_edit if server_url and username else self.server_edit).setFocus()

    def _sign_in(self) -> None:
        server_url = self.server_edit.text().strip().rstrip("/")
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not server_url or not username or not password:
            self._show_problem("Заполните адрес сервера, имя пользователя и пароль.")
            return
        if not server_url.startswith(("http://", "https://")):
            server_url = f"https://{server_url}"
        remember = self.remember_box.isChecked()
        self._set_busy(True)
        self._runner.run(
            Lane.DATABASE,
            "sign-in",
            lambda _control: self._session.sign_in(server_url, username, password, remember=remember),
            self._done,
            on_failure=self._failed,
        )

    def _done(self, result: SignInResult) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.signed_in.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        expected = as_expected(error)
        if expected is None:
            raise error
        self._show_problem(expected.user_message)
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(True)
        self.adjustSize()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.username_edit, self.password_edit, self.remember_box, self.buttons):
            widget.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)
