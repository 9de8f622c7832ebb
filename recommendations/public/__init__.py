"""The public site and the open data: what anyone may read without signing in.

Only reviews marked public (`Review.objects.public()`), their recommendations, the accepted updates
on them and their published appendices. Every public view and API endpoint reads through
`records.py`, so nothing else can reach them.
"""
