"""The password rule Django lacks: not white space only (AUTH_PASSWORD_VALIDATORS).

Ten spaces passed every one of Django's validators: long enough, not common, not
numeric, like no user attribute. A password of white space is also what a stray paste
or a stuck key gives, and it is invisible on the screen where it was typed.
"""

import unicodedata

from django.core.exceptions import ValidationError

MESSAGE = "密码不能全是空白（空格、全角空格、制表符或换行），请加入字母、数字或符号。"


def is_blank(password: str) -> bool:
    """Whether ``password`` shows nothing: white space and invisible format characters
    (a zero-width space) only.

    >>> is_blank(" " * 10), is_blank("\\u3000 \\u200b\\t"), is_blank(" a "), is_blank("")
    (True, True, False, True)
    """
    return all(char.isspace() or unicodedata.category(char) == "Cf" for char in password)


class NotOnlyWhitespaceValidator:
    """Refuses a password that :func:`is_blank`."""

    def validate(self, password: str, user=None) -> None:
        if is_blank(password):
            raise ValidationError(MESSAGE, code="password_only_whitespace")

    def get_help_text(self) -> str:
        return "密码不能全是空白。"
