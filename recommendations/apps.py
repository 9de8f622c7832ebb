from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and progress"

    def ready(self) -> None:
        from reviews.models import Committee, Meeting, Review, WorkProgrammeItem

        from .dashboard.tasks import prepare_after_change
        from .models import (
            ProgressUpdate,
            Recommendation,
            RequestedRecommendation,
            UpdateDecision,
            UpdateRequest,
        )
        from .models.register_version import version_moved, watch_for_changes

        # What the dashboard's cached figures are made of (see models/register_version.py);
        # bulk writes call register_changed() themselves, through refresh_current_status().
        watch_for_changes(
            Recommendation,
            ProgressUpdate,
            UpdateDecision,
            Review,
            Committee,
            Meeting,
            WorkProgrammeItem,
            UpdateRequest,
            RequestedRecommendation,
        )
        # After each change the worker prepares the dashboard's figures for the next reader.
        version_moved.connect(prepare_after_change, dispatch_uid="dashboard-prepare-figures")
