"""The participant's profile, consent, "data saya" and account erasure."""
