"""Filters of the log configuration in settings.LOGGING."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refusal (403 because the speech is 待审核, 404 of a deleted item) is the app
    working as meant; Django logs it as a warning with the exception's whole traceback,
    which reads like a crash to whoever watches the log. The line stays, the traceback
    goes; 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
