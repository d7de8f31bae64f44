"""Accounts: sign-up, verification, login and logout, password reset, two-step verification."""
