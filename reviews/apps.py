from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed
from django.utils import timezone


def update_last_login_without_history(sender, user, **kwargs):
    """Django's own receiver, less the history row: every sign-in saves last_login, a field the
    user history leaves out, and would otherwise add an empty "Changed" entry each time."""
    user.last_login = timezone.now()
    user.save_without_historical_record(update_fields=["last_login"])


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Committees and reviews"

    def ready(self):
        # django.contrib.auth connects its receiver under this id in its own ready(), which runs
        # first (it comes earlier in INSTALLED_APPS).
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(
            update_last_login_without_history, dispatch_uid="update_last_login_without_history"
        )
        from .models import User
        from .sign_in.sessions import groups_changed

        # A change of role ends the user's sessions.
        m2m_changed.connect(
            groups_changed, sender=User.groups.through, dispatch_uid="groups_end_sessions"
        )
