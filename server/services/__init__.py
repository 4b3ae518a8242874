"""What the server does: operations, arbitration, certification, certificate checks, pull, demo data."""
