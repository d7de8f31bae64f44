"""Admin pages for the consent text (built by the consent work)."""
