"""The app in this process on a scratch database, for the benchmarks that time views
through Django's test client (compare_budget.py, editing_budgets.py)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def scratch_app(name: str, **environ: str) -> None:
    """Set Django up on a fresh SQLite file of its own (never a configured database),
    migrated, with the test environment and plain static files (the page's assets are
    not what is measured). ``environ`` sets variables first, e.g. a budget."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / name}.sqlite3"
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
