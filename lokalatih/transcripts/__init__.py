"""A participant's training history: workshops attended, lesson hours (JP) per year against the
ASN target, as a page, a one-page PDF transcript and an XLSX."""
