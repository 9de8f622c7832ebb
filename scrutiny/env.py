"""Reading the environment for settings.py: each value parsed, or a clear error naming the
variable (ImproperlyConfigured stops start-up), never a guess."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_pairs(name: str, value: str) -> dict[str, str]:
    """`key=value;key=value` (spaces around either ignored) as a dict; a clear error otherwise."""
    pairs: dict[str, str] = {}
    for item in value.split(";"):
        if not item.strip():
            continue
        key, equals, target = (part.strip() for part in item.partition("="))
        if not equals or not key or not target:
            raise ImproperlyConfigured(
                f"{name} must be pairs like 'key=value;key=value'; cannot read {item.strip()!r}"
            )
        if key in pairs:
            raise ImproperlyConfigured(f"{name} names {key!r} more than once")
        pairs[key] = target
    return pairs


def parse_group_roles(value: str, role_groups: tuple[str, ...]) -> dict[str, str]:
    """OIDC_GROUP_ROLES: `<group id>=<role>;…`, each role one of `role_groups` (any letter case)."""
    roles = {role.lower(): role for role in role_groups}
    mapping = {}
    for group, role in parse_pairs("OIDC_GROUP_ROLES", value).items():
        if role.lower() not in roles:
            raise ImproperlyConfigured(
                f"OIDC_GROUP_ROLES maps {group!r} to {role!r}, which is not a role: use one of "
                + ", ".join(role_groups)
            )
        mapping[group] = roles[role.lower()]
    return mapping


def parse_domain_organisations(value: str) -> dict[str, str]:
    """OIDC_EMAIL_DOMAIN_ORGANISATIONS: `<email domain>=<organisation name>;…`."""
    pairs = parse_pairs("OIDC_EMAIL_DOMAIN_ORGANISATIONS", value)
    for domain in pairs:
        if "@" in domain or "." not in domain:
            raise ImproperlyConfigured(
                f"OIDC_EMAIL_DOMAIN_ORGANISATIONS: {domain!r} is not an email domain "
                "(write durham.gov.uk, without the @)"
            )
    return {domain.lower(): name for domain, name in pairs.items()}


def parse_issuer(value: str) -> str:
    """OIDC_ISSUER, exactly as the provider writes it in its tokens: https, or plain http on
    this machine only (the tests' provider)."""
    if value and not value.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
        raise ImproperlyConfigured(f"OIDC_ISSUER must be an https:// address; got {value!r}")
    return value


def client_address_settings(proxy_count: int) -> dict:
    """How django-axes (through django-ipware) finds the client's address behind `proxy_count`
    proxies. Each proxy appends the address that connected to it to X-Forwarded-For, so with N
    proxies the client's own address is the Nth entry from the right (the last proxy is the
    connecting address, REMOTE_ADDR, not in the header: hence ipware's count is one less).
    Entries a client writes itself stay on the left and are never taken. With no proxy the
    header is ignored: any client could send it."""
    if proxy_count < 0:
        raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more; got {proxy_count}")
    if proxy_count == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
            "IPWARE_STRICT": True,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        # Count from the right even when a client has put more entries on the left.
        "IPWARE_STRICT": False,
    }
