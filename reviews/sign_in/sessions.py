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
# Whether this password session's user must use the second factor, decided at sign-in.
FACTOR_REQUIRED = "second_factor_required"


def bump_session_generation(user_ids) -> None:
    # update() rather than save(): the field is left out of the history, so a save would add an
    # empty history row for every role change.
    get_user_model().objects.filter(pk__in=user_ids).update(
        session_generation=F("session_generation") + 1
    )


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The receiver of m2m_changed on User.groups: `user.groups.add(group)` (instance a user,
    pk_set groups) or `group.user_set.add(user)` (reverse: instance a group, pk_set users)."""
    User = get_user_model()
    if action in {"post_add", "post_remove"} and pk_set:
        user_ids = pk_set if reverse else [instance.pk]
    elif action == "pre_clear":
        user_ids = (
            list(instance.user_set.values_list("pk", flat=True))
            if reverse
            else ([instance.pk] if instance.groups.exists() else [])
        )
    else:
        return
    if not user_ids:
        return
    bump_session_generation(user_ids)
    if not reverse:
        # The instance in hand saves the new generation too (the admin saves the user after its
        # groups), rather than writing back the old one.
        instance.session_generation = (
            User.objects.filter(pk=instance.pk).values_list("session_generation", flat=True).get()
        )
