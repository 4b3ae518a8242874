"""Authentication: Argon2 passwords, short-lived access tokens, rotating refresh tokens, back-off."""
