"""Qt table models: rows of domain or service objects shown in views, never queried from SQL here."""
