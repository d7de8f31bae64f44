"""Certificates: the certificate rule, eligibility, PDFs and public verification."""
