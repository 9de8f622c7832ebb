from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from recommendations.demo import DEMO_PASSWORD, USERS, load_demo
from reviews.models import User
from reviews.sign_in.second_factor import authenticator_of, second_factor_required


class Command(BaseCommand):
    help = (
        "Build the demo world of the cybercrime review minute, with demo sign-ins. "
        "Safe to run again: it changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Create the demo users even though DEBUG is off (they share a public password).",
        )

    def handle(self, *args, with_demo_users: bool, **options):
        if not settings.DEBUG and not with_demo_users:
            raise CommandError(
                "DEBUG is off, so this looks like a real installation: the demo creates users with "
                "a published password. Pass --with-demo-users if you really want them."
            )
        loader = load_demo()
        self.stdout.write(
            f"Demo loaded: {loader.created} records created, {loader.changed} changed."
        )
        self.stdout.write(f"Sign in with any of these users and the password {DEMO_PASSWORD!r}:")
        for username, _first, _last, group, organisation, superuser in USERS:
            role = "Administrator" if superuser else group
            where = f" of {organisation}" if organisation else ""
            self.stdout.write(f"  {username:<11} {role}{where}{self._second_factor(username)}")

    @staticmethod
    def _second_factor(username: str) -> str:
        user = User.objects.get(username=username)
        if not second_factor_required(user):
            return ""
        if authenticator_of(user) is not None:
            return ", then a code from the authenticator app set up for it"
        return (
            ", then sets up an authenticator app (the page shows the key as text: use any app, "
            "or `oathtool --totp -b KEY` with the spaces left out)"
        )
