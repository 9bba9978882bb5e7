"""Login lockout: an account after a few failures, an address only after many across
accounts (等级保护: login-failure handling).

django-axes counts failures per lockout parameter and locks when any count reaches one
limit, AXES_FAILURE_LIMIT. That cannot tell an office apart from an attacker: everyone
behind nginx or one NAT shares an address, so five typos by one person locked the whole
office out. axes has no second limit (its maintainers point to a handler of one's own,
jazzband/django-axes#661); this is that handler. It counts

- the account's failures (AXES_FAILURE_LIMIT, 5), from any address;
- the address's failures across accounts, each account counting at most up to its own
  limit (LOCKOUT_ADDRESS_FAILURES, 30): one person hammering their own locked account
  adds at most 5, so an address locks only for failures on six accounts or more,
  which is what a password sprayer does.

Both within AXES_COOLOFF_TIME. A successful login forgives that account's failures
from that address (AXES_RESET_ON_SUCCESS with AXES_LOCKOUT_PARAMETERS
``[["username", "ip_address"]]``).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(per_account: list[int], account_limit: int) -> int:
    """Failures from one address: each account's failures, capped at its own limit.

    >>> address_failures([40], 5), address_failures([1] * 30, 5), address_failures([4] * 5, 5)
    (5, 30, 20)
    """
    return sum(min(count, account_limit) for count in per_account)


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """The username a login tried, as axes stores it (AXES_USERNAME_CALLABLE): without
    NUL characters and cut to the longest username an account can have. Django's login
    form does not enforce that length, and axes' column (varchar(255)) made a longer one
    a 500 on PostgreSQL; no account is that long, so the cut name still counts as one.

    >>> class Login: POST = {"username": "a" * 300 + chr(0)}
    >>> len(attempted_username(Login)), attempted_username(Login, {"username": "张三" + chr(0)})
    (150, '张三')
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:USERNAME_MAX]


USERNAME_MAX = 150  # django.contrib.auth's User.username


def without_nul(request) -> None:
    """Drop NUL characters from the headers axes stores: PostgreSQL's text refuses them
    (a 500 at the login). gunicorn refuses such headers itself; another server may not."""
    for name in ("axes_user_agent", "axes_http_accept", "axes_path_info"):
        value = getattr(request, name, None)
        if isinstance(value, str) and "\x00" in value:
            setattr(request, name, value.replace("\x00", ""))


class AccountFirstHandler(AxesDatabaseHandler):
    """axes' database handler with the two limits above (AXES_HANDLER)."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            without_nul(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        without_nul(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        without_nul(request)
        return super().user_logged_out(sender, request, user, **kwargs)

    def get_failures(self, request, credentials=None) -> int:
        """The count axes compares with AXES_FAILURE_LIMIT: the account's failures, or
        the limit itself when the address is locked. Says which lock, its limit and its
        minutes on ``request.lockout``, for the lockout page."""
        account_limit = get_failure_limit(request, credentials)
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        account = (
            recent.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
        )
        per_account = (
            recent.filter(ip_address=request.axes_ip_address)
            .values("username")
            .annotate(n=Sum("failures_since_start"))
            .values_list("n", flat=True)
        )
        minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
        address_limit = settings.LOCKOUT_ADDRESS_FAILURES
        if address_failures(list(per_account), account_limit) >= address_limit:
            request.lockout = {"by": "address", "limit": address_limit, "minutes": minutes}
            return max(account, account_limit)
        if account >= account_limit:
            request.lockout = {"by": "account", "limit": account_limit, "minutes": minutes}
        return account
