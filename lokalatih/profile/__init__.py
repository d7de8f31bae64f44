"""The participant's profile: certificate name, institution, phone and region."""
