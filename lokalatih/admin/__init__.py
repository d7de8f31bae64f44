"""Back office for admins: users and roles, consent versions, the email outbox, the audit log."""
