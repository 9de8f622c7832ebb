"""Which sessions stay: a change of password or role ends the user's other sessions.

Django keeps a hash of the password in each session and signs the session out when it no longer
matches; `User.get_session_auth_hash` adds `session_generation`, which this module bumps when the
user's groups change (from either side, in the admin or in code). `User.save` bumps it when
is_active, is_staff or is_superuser change. Whoever makes a change to their own account keeps
their session (`update_session_auth_hash`).
"""

from django.contrib.auth import get_user_model
from django.db.models import F

# The session records how its user signed in: "password" (here, with the second factor where it
# applies) or "provider" (the council's identity provider, which has its own).
SIGN_IN_METHOD = "sign_in_method"
PASSWORD = "password"
PROVIDER = "provider"
# Whether this password session's user must use the second factor, decided at sign-in.
FACTOR_REQUIRED = "second_factor_required"


def bump_session_generation(user_ids) -> None:
    # update() rather than save(): the field is left out of the history, so a save would add an
    # empty history row for every role change.
    get_user_model().objects.filter(pk__in=user_ids).update(
        session_generation=F("session_generation") + 1
    )


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The receiver of m2m_changed on User.groups, from the user's side (`user.groups.add`, the
    admin's form); simple-history refuses changes from the group's side (see reviews.User)."""
    if reverse:
        return
    if action == "post_add":
        changed = bool(pk_set)  # Django leaves out the groups the user already had
    elif action == "pre_remove":
        changed = instance.groups.filter(pk__in=pk_set).exists()  # Django does not
    elif action == "pre_clear":
        changed = instance.groups.exists()
    else:
        return
    if changed:
        bump_session_generation([instance.pk])
        # The instance in hand saves the new generation too (the admin saves the user after its
        # groups), rather than writing back the old one.
        instance.session_generation = (
            get_user_model()
            .objects.filter(pk=instance.pk)
            .values_list("session_generation", flat=True)
            .get()
        )
