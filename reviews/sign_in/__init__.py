"""Signing in: the council's identity provider beside the password form, and who has access."""
