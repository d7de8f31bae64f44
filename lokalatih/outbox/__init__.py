"""Email outbox: messages are written with the change that causes them and sent by a job."""
