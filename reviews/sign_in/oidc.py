"""Signing in with the council's identity provider through OpenID Connect.

mozilla-django-oidc does the protocol: the authorisation-code flow with PKCE, the state and the
nonce, and the ID token's RS256 signature checked against the provider's published keys (JWKS).
This module gives it the provider's endpoints from the issuer's discovery document, finds or
creates the person by the provider's (issuer, `sub`) pair, and sets their roles from the
provider's groups at every sign-in (README, "Signing in with the council's accounts").
"""

import logging
import re
import unicodedata

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from reviews.models import Organisation, User

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
SUBJECT_MAX_LENGTH = User._meta.get_field("identity_subject").max_length
USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


class ProviderUnreachable(Exception):
    """The provider did not answer, or did not answer as OpenID Connect says it must."""


class SignInRefused(Exception):
    """The provider answered, but this sign-in cannot go ahead: the message says why, to the
    person signing in."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def discovery() -> dict:
    """The issuer's discovery document, fetched when first needed and kept for an hour in the
    cache (a failure is not kept: the next sign-in asks again)."""
    issuer = settings.OIDC_ISSUER
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is not None:
        return document
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnreachable(f"{url}: {error}") from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnreachable(f"{url} is not the discovery document of {issuer}")
    missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(document.get(name), str)]
    if missing:
        raise ProviderUnreachable(f"{url} gives no {', '.join(missing)}")
    cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def endpoint(name: str) -> str | None:
    value = discovery().get(name)
    return value if isinstance(value, str) and value else None


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints from discovery and our own user rules."""

    def __init__(self, *args, **kwargs):
        # The library reads its endpoints from settings here, and Django builds a backend for
        # every password sign-in and every signed-in request: the discovery document is fetched
        # only when a provider sign-in needs an endpoint (the properties below).
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("token_endpoint"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("jwks_uri"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_CLIENT_SECRET)

    def authenticate(self, request, *, nonce, code_verifier):
        # Keyword-only arguments: Django skips this backend for a password form's credentials,
        # so nothing in a password sign-in's query string can start a token exchange.
        if not enabled():
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def get_user(self, user_id):
        # Django's own rule, which the library's version leaves out: a user switched off in the
        # admin is signed out of every session at their next request.
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; the issuer and audience too. An
        expired, malformed or missing token is refused like a forged one, never a 500."""
        try:
            payload = super().verify_token(token, **kwargs)
        except (jwt.InvalidTokenError, jwt.PyJWKError, KeyError, TypeError) as error:
            raise SuspiciousOperation(f"The ID token cannot be checked: {error!r}") from error
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != discovery()["issuer"] or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not from the issuer, or not for us")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo endpoint's claims, where there is one, with the ID token's over them
        (Entra ID puts the groups in the ID token only)."""
        claims = {}
        if self.OIDC_OP_USER_ENDPOINT:
            claims = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about someone else")
        return {**claims, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        return user_for_claims(self.get_userinfo(access_token, id_token, payload))


def user_for_claims(claims: dict) -> User:
    """The person the provider vouches for, created or linked at their first sign-in, with their
    name, email and roles as the provider gives them now."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > SUBJECT_MAX_LENGTH:
        raise SuspiciousOperation("The provider gave no usable sub claim")
    groups = groups_in(claims)
    try:
        with transaction.atomic():
            return _sign_in(subject, claims, groups)
    except IntegrityError:
        # Two first sign-ins of the same person at once: the other one has created the user.
        with transaction.atomic():
            return _sign_in(subject, claims, groups)


def _sign_in(subject: str, claims: dict, groups: list[str]) -> User:
    issuer = settings.OIDC_ISSUER
    email = email_in(claims)
    user = User.objects.filter(identity_issuer=issuer, identity_subject=subject).first()
    if user is None and email and claims.get("email_verified") is not False:
        user = unlinked_user_with_email(email)
    if user is None:
        user = User(username=unique_username(claims))
        user.set_unusable_password()
    before = _profile(user)
    # The history names the person as the one who made these changes, through the provider.
    user._history_user = user
    user._change_reason = "Signed in through the identity provider"
    user.identity_issuer, user.identity_subject = issuer, subject
    user.first_name, user.last_name = names_in(claims, user)
    user.email = email or user.email
    if user.organisation_id is None and email:
        user.organisation = organisation_for(email)
    if user._state.adding or _profile(user) != before:
        user.save()
    if user.is_active:
        apply_roles(user, groups)
    return user


def _profile(user: User) -> tuple:
    return (
        user.identity_issuer,
        user.identity_subject,
        user.first_name,
        user.last_name,
        user.email,
        user.organisation_id,
    )


def unlinked_user_with_email(email: str) -> User | None:
    """An active account with this email that no provider identity has claimed yet: a council
    moving from passwords keeps everyone's history. Two such accounts are for an administrator
    to sort out."""
    matches = list(
        User.objects.filter(email__iexact=email, is_active=True, identity_subject="")[:2]
    )
    if len(matches) > 1:
        raise SignInRefused(
            f"More than one account here has the email address {email}, so we cannot tell "
            "which is yours."
        )
    return matches[0] if matches else None


def groups_in(claims: dict) -> list[str]:
    name = settings.OIDC_GROUPS_CLAIM
    value = claims.get(name)
    if value is None and name in (claims.get("_claim_names") or {}):
        # Entra ID leaves the groups out of the token when someone is in more than 200 of them.
        raise SignInRefused(
            "You are in too many groups for your sign-in to list them, so we cannot tell your role."
        )
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(group) for group in value if isinstance(group, str | int)]
    return []


def apply_roles(user: User, groups: list[str]) -> None:
    """The user's role groups become exactly those the mapping gives their provider groups;
    other groups, and staff or superuser status, stay as they are. Without a mapping, roles are
    given in the admin and left alone here."""
    mapping = settings.OIDC_GROUP_ROLES
    if not mapping:
        return
    wanted = {mapping[group] for group in groups if group in mapping}
    current = set(user.groups.filter(name__in=settings.ROLE_GROUPS).values_list("name", flat=True))
    # From the user's side, so simple-history records the change (reviews/models.py).
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))


def email_in(claims: dict) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or len(email) > User._meta.get_field("email").max_length:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def plain(value, max_length: int) -> str:
    """A claim as one line of text: no control, format (bidirectional, zero-width) or line
    characters, cut to the field's length."""
    if not isinstance(value, str):
        return ""
    kinds = (unicodedata.category(ch)[0] for ch in value)
    text = "".join(
        " " if kind == "Z" else ch for ch, kind in zip(value, kinds, strict=True) if kind != "C"
    )
    return " ".join(text.split())[:max_length]


def names_in(claims: dict, user: User) -> tuple[str, str]:
    length = User._meta.get_field("first_name").max_length
    first, last = plain(claims.get("given_name"), length), plain(claims.get("family_name"), length)
    if not (first or last):
        first = plain(claims.get("name"), length)
    if not (first or last):
        return user.first_name, user.last_name
    return first, last


def unique_username(claims: dict) -> str:
    """From preferred_username or email, in the characters Django allows, unique."""
    wanted = claims.get("preferred_username") or claims.get("email") or ""
    base = re.sub(r"[^\w.@+-]", "", str(wanted))[: USERNAME_MAX_LENGTH - 10] or "user"
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def organisation_for(email: str) -> Organisation | None:
    """The organisation OIDC_EMAIL_DOMAIN_ORGANISATIONS gives the email's domain, if it exists."""
    domain = email.rsplit("@", 1)[1].lower()
    name = settings.OIDC_EMAIL_DOMAIN_ORGANISATIONS.get(domain)
    if not name:
        return None
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        logger.warning(
            "OIDC_EMAIL_DOMAIN_ORGANISATIONS names %r for %s: there is no such organisation",
            name,
            domain,
        )
    return organisation


def has_access(user) -> bool:
    """Has a role: may read what every role reads (recommendations.access.readers_only)."""
    return user.has_perm("recommendations.view_recommendation")
