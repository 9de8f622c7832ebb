"""The dashboard: what needs attention, computed in a fixed number of queries."""
