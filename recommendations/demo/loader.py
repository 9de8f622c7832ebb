"""Creating demo records quietly: only what differs is saved, so history stays as the story
wrote it."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from reviews.models import User

DEMO_PASSWORD = "scrutiny-demo"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class DemoLoader:
    """Creates or tops up the demo records, saving only what differs (so history stays quiet)."""

    def __init__(self, users_since: datetime.datetime):
        self.created = 0
        self.changed = 0
        # When the demo users' history begins.
        self.users_since = users_since

    def ensure(self, model, lookup: dict, values: dict, *, user, when: datetime.datetime):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
        else:
            differing = {
                name: value for name, value in values.items() if getattr(obj, name) != value
            }
            if not differing:
                return obj
            for name, value in differing.items():
                setattr(obj, name, value)
            # A change belongs at its place in the story unless history has already moved past it.
            latest = obj.history.values_list("history_date", flat=True).first()
            if latest and latest >= when:
                when = timezone.now()
        self.created += obj._state.adding
        self.changed += not obj._state.adding
        obj._history_user = user
        obj._history_date = when
        obj.save()
        return obj

    def ensure_user(self, username, first, last, group, organisation, superuser):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                organisation=organisation,
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user._history_date = self.users_since
            user.save()
            self.created += 1
        if group and not user.groups.filter(name=group).exists():
            user.groups.add(Group.objects.get(name=group))
        return user
