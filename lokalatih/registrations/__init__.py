"""Registering, the waitlist, approvals, "Loka latih saya" and the registrant list."""
