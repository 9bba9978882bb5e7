"""gunicorn settings used by `make run`; every value can be overridden on the command line."""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Two workers a core is enough for a page-rendering app with short requests.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
# %(M)s is the request time in milliseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
