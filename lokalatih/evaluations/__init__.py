"""The reaction survey: how participants received a workshop (issue 17 §1)."""
