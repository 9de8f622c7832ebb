"""Signing in: the password form and its second factor, the council's identity provider, the
account page, who has access, and the session rules."""
