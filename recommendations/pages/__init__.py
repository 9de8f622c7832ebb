"""The register's pages: reviews, a review, a recommendation, progress updates, histories, meetings."""
