"""The site's frame: home page, language switch and the health check."""
