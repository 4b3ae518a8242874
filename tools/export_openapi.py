"""Write the central server's OpenAPI document to docs/openapi.json (pretty JSON, sorted keys).

    python tools/export_openapi.py            # write docs/openapi.json
    python tools/export_openapi.py --stdout   # print it instead
    python tools/export_openapi.py --check    # exit 1 if docs/openapi.json is out of date

The app is built on a throw-away SQLite database in a temporary folder, so no server data is needed.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "openapi.json"

if str(ROOT) not in sys.path:  # run as a script from a checkout: the project's packages come from here
    sys.path.insert(0, str(ROOT))

from server.api.app import create_app  # noqa: E402
from server.config import ServerConfig  # noqa: E402
from server.db.engine import ServerDatabase, create_server_engine, sqlite_url  # noqa: E402


def render(schema: dict[str, Any]) -> str:
    """The document as committed: indented, keys sorted, Russian left readable, a final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def build_schema() -> dict[str, Any]:
    """The OpenAPI document of a freshly built app."""
    with tempfile.TemporaryDirectory(prefix="pfdo-openapi-") as folder:
        url = sqlite_url(Path(folder) / "openapi.sqlite3")
        engine = create_server_engine(url)
        try:
            app = create_app(ServerConfig(database_url=url, secret=secrets.token_bytes(32)), ServerDatabase(engine))
            return app.openapi()
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stdout", action="store_true", help="print the document instead of writing it")
    mode.add_argument("--check", action="store_true", help="exit 1 if the committed document is out of date")
    parser.add_argument("--output", type=Path, default=DOCUMENT, help=f"where to write (default: {DOCUMENT})")
    arguments = parser.parse_args(argv)
    text = render(build_schema())
    if arguments.stdout:
        sys.stdout.write(text)
        return 0
    if arguments.check:
        current = arguments.output.read_text(encoding="utf-8") if arguments.output.exists() else ""
        if current != text:
            print(f"{arguments.output} is out of date: run `python tools/export_openapi.py`", file=sys.stderr)
            return 1
        return 0
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text, encoding="utf-8")
    print(f"wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
