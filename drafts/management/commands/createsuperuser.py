"""Django's createsuperuser, with the password rules applied to --noinput too.

Asked interactively, Django checks the password against AUTH_PASSWORD_VALIDATORS; from
DJANGO_SUPERUSER_PASSWORD (--noinput, as a deployment script runs it) it took any
password, ten spaces included.
"""

import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password is not None:
            user_model = get_user_model()
            username = options[user_model.USERNAME_FIELD] or os.environ.get(
                "DJANGO_SUPERUSER_" + user_model.USERNAME_FIELD.upper(), ""
            )
            candidate = user_model(**{user_model.USERNAME_FIELD: username})
            if options.get("email"):
                candidate.email = options["email"]
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as refused:
                raise CommandError(
                    "DJANGO_SUPERUSER_PASSWORD 不符合密码规则：" + "".join(refused.messages)
                ) from None
        return super().handle(*args, **options)
