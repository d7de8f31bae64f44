"""Registering, the waitlist, approvals, "Workshop saya" and the registrant list."""
