"""Pages about the committee world alone (committees, meetings, reviews' own details).

Pages that show recommendations live in the recommendations app, which may import from here.
"""
