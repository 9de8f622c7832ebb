"""The second factor for password accounts: who must have it, authenticator apps, recovery codes.

An authenticator app is a django-otp TOTP device (30-second steps, one step of drift either way,
a code never accepted twice, throttled after failures); recovery codes are the codes of a
django-otp static device, each deleted as it is used. A user has at most one of each.
"""

import time
import xml.etree.ElementTree as ET
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

# Members of this group, and administrators (staff or superusers), must use the second factor
# when they sign in with a password. Everyone else with a password may choose to.
REQUIRED_GROUP = "Scrutiny officer"
RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"


def second_factor_required(user) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name=REQUIRED_GROUP).exists()


def authenticator_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def asks_for_second_step(user) -> bool:
    """After the right password: must this user give a code (or set up an app) first?"""
    return second_factor_required(user) or authenticator_of(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Setting up -----------------------------------------------------------------------------------


def new_secret() -> str:
    """A new authenticator secret, hex-encoded (20 random bytes, as django-otp makes them)."""
    return default_key()


def secret_as_text(secret: str) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    text = b32encode(unhexlify(secret)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def set_up_url(user, secret: str) -> str:
    """The otpauth:// address the QR code holds, with the issuer and the username."""
    return TOTPDevice(user=user, key=secret).config_url


def qr_code_svg(url: str) -> SafeString:
    """The QR code as SVG markup to put in the page (the policy allows no image from elsewhere)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.get_image()
    svg.set("width", "200")
    svg.set("height", "200")
    svg.set("role", "img")
    svg.set("aria-label", "QR code to scan with your authenticator app")
    svg.set("class", "app-qr-code")
    # Markup made by ElementTree from the library's path data and our own attributes only.
    return mark_safe(ET.tostring(svg, encoding="unicode"))


def code_matches_new_secret(secret: str, code: str) -> int | None:
    """The time step of `code` if it is a current code of `secret` (one step either way)."""
    # The app is set up with django-otp's defaults: 30-second steps from 0, 6 digits.
    totp = TOTP(unhexlify(secret), step=30, t0=0, digits=6)
    totp.time = time.time()
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


@transaction.atomic
def set_up_authenticator(user, secret: str, verified_step: int) -> list[str]:
    """Give `user` the authenticator app whose code they have just entered, and a new set of
    recovery codes, replacing any they had; returns the recovery codes to show them once."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user,
        name=AUTHENTICATOR_NAME,
        key=secret,
        confirmed=True,
        # The code just entered can never be used again to sign in.
        last_t=verified_step,
    )
    return make_recovery_codes(user)


@transaction.atomic
def make_recovery_codes(user) -> list[str]:
    """A new set of recovery codes; the old set stops working. The device that holds them stays
    the same, so a session signed in with an old code stays signed in."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    elif not device.confirmed:  # one made in the admin
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    # One set of codes per person: any other device of codes (from the admin) goes too.
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_authenticator(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Checking a code at sign-in -------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    device: TOTPDevice | StaticDevice | None = None
    problem: str = ""
    # Whether the attempt was a guess that failed (and so counts towards the lock-out).
    failed: bool = False


WRONG_CODE = "The code is not right or has expired. Enter the code your authenticator app shows now"
USED_CODE = (
    "That code has already been used. Wait for your authenticator app to show a new code, "
    "then enter it"
)
WRONG_RECOVERY_CODE = (
    "That recovery code is not right or has already been used. Each recovery code works once"
)


def check_code(user, kind: str, code: str) -> Outcome:
    """Check an authenticator code (`kind` "totp") or a recovery code ("recovery") for `user`.

    Locks the device row while checking, so the same code sent twice at once signs in once.
    """
    model = TOTPDevice if kind == "totp" else StaticDevice
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            if kind == "totp":
                return Outcome(problem=WRONG_CODE, failed=True)
            return Outcome(problem=WRONG_RECOVERY_CODE, failed=True)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return Outcome(problem=_throttled(details))
        if device.verify_token(code):
            return Outcome(device=device)
    if kind == "recovery":
        return Outcome(problem=WRONG_RECOVERY_CODE, failed=True)
    if _was_used(device, code):
        return Outcome(problem=USED_CODE, failed=True)
    return Outcome(problem=WRONG_CODE, failed=True)


def _was_used(device: TOTPDevice, code: str) -> bool:
    """Whether a refused code is one of the device's current codes, already used."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(int(code), tolerance=device.tolerance)


def _throttled(details: dict) -> str:
    seconds = max(1, round((details["locked_until"] - timezone.now()).total_seconds()))
    return ngettext(
        "You have entered too many wrong codes. Wait %(seconds)d second, then try again",
        "You have entered too many wrong codes. Wait %(seconds)d seconds, then try again",
        seconds,
    ) % {"seconds": seconds}
