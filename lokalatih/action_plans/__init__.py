"""Action plans after a workshop and their follow-up (issue 17 section 2)."""
