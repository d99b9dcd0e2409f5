"""Registration, login, profile and API tokens."""
