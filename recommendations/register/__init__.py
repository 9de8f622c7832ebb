"""The register: every recommendation, with filters in the address, search, sorting and export."""
