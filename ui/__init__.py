"""All Qt code of the workstation: application, main window, pages, dialogs, task runner."""
