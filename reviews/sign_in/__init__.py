"""Signing in: the password form, its second factor, the account page and the session rules."""
