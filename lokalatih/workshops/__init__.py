"""Workshops: organizer management, the state machine, the catalogue, agenda and quotas."""
