"""The audit log: who did what to which speech, when and from which address."""

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from django.conf import settings

from .models import AuditEvent

Address = IPv4Address | IPv6Address
TrustedProxies = int | list[IPv4Network | IPv6Network]


def parse_address(text: str) -> Address | None:
    """``text`` as an address the database stores (PostgreSQL's inet), or None.

    >>> parse_address(" 2001:DB8::1 "), parse_address("::ffff:10.0.0.7")
    (IPv6Address('2001:db8::1'), IPv4Address('10.0.0.7'))
    >>> parse_address("fe80::1%eth0"), parse_address("not-an-ip"), parse_address("1.2.3.4:80")
    (IPv6Address('fe80::1'), None, None)
    """
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        # A zone (%eth0) names an interface of the sender's machine; inet refuses it.
        return IPv6Address(int(address))
    return address


def client_address(remote_addr: str, forwarded_for: str, trusted: TrustedProxies) -> str | None:
    """The client's address: the right-most hop that no trusted proxy is, or None.

    Each proxy appends the address of its own peer to X-Forwarded-For, so reading from
    the right, every entry up to the first one that is not a trusted proxy was written
    by a proxy we trust; everything left of it was written by the client and is
    ignored. ``trusted`` is a number of proxies in front of the app (their addresses
    need not be readable: nginx may speak over a unix socket) or their networks (then
    the peer must be one of them for the header to count). An entry that is not an
    address ends the walk at the last address read.

    >>> client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", 1)
    '203.0.113.9'
    >>> client_address("203.0.113.9", "6.6.6.6", 0), client_address("bad", "", 0)
    ('203.0.113.9', None)
    """
    hops = [*forwarded_for.split(","), remote_addr] if forwarded_for else [remote_addr]
    last = None
    for index, text in enumerate(reversed(hops)):
        address = parse_address(text)
        counted_proxy = isinstance(trusted, int) and index < trusted
        if address is None:
            if counted_proxy:
                continue
            break
        if not (counted_proxy or (isinstance(trusted, list) and is_in(address, trusted))):
            return str(address)
        last = address
    return str(last) if last is not None else None


def is_in(address: Address, networks: list[IPv4Network | IPv6Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str | None:
    """The request's client address (``client_address`` with ``settings.TRUSTED_PROXIES``);
    django-axes reads it too (AXES_CLIENT_IP_CALLABLE), so a lockout and the log name
    the same client."""
    return client_address(
        request.META.get("REMOTE_ADDR") or "",
        request.META.get("HTTP_X_FORWARDED_FOR") or "",
        settings.TRUSTED_PROXIES,
    )


def record(
    request, action: str, *, speech=None, detail: str = "", user=None, username: str = ""
) -> AuditEvent:
    """Add one row to the log. ``user`` defaults to the request's user; ``username``
    names who tried when nobody is logged in (a failed login)."""
    user = user if user is not None else getattr(request, "user", None)
    return AuditEvent.write(
        action,
        user=user,
        ip=client_ip(request) if request is not None else None,
        speech_id=speech.pk if speech is not None else None,
        detail=detail,
        username=username,
    )
