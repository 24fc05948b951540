"""The demo zone loaded once per test process and restored from a copy for each test that needs it.

Loading the demo writes every row through the modules' services (17–30 s with all modules); a test that only needs
the demo's rows gets them copied back in well under a second. `take()` loads the demo once into the test
database, copies every model table to a `_demo_<table>` table beside it (Django's flush only empties the tables of
models, so the copies survive it), copies the files it wrote (attachments, import uploads, the audit anchor), and
puts the database back as it was. `restore()` empties the model tables and copies the demo's rows back in one
transaction (the foreign keys are checked at its end), resets the sequences and copies the files into the test's
own MEDIA_ROOT and AUDIT_ANCHOR_DIR.

The loader itself stays tested by tests/demo/test_demo.py, which calls it directly.
"""

import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings

BASE, DEMO = "_base_", "_demo_"


def _model_tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _copy(tables, prefix):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(prefix + table)}")
            cursor.execute(f"CREATE TABLE {qn(prefix + table)} AS SELECT * FROM {qn(table)}")  # noqa: S608


def _put_back(tables, prefix):
    """Replace the rows of every model table by those of its `prefix` copy, in one transaction."""
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE fires no row triggers (the audit table refuses DELETE) and takes all tables at once.
            cursor.execute("TRUNCATE " + ", ".join(qn(t) for t in tables))
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 — table names from introspection
        for table in tables:
            cursor.execute(f"INSERT INTO {qn(table)} SELECT * FROM {qn(prefix + table)}")  # noqa: S608
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in set(tables)]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    _invalidate_caches()


def _invalidate_caches():
    from django.core.cache import caches

    from kaifaqu.accounts import roles
    from kaifaqu.core import calendar

    for cache in caches.all():
        cache.clear()
    roles.invalidate()
    calendar.invalidate()


class Snapshot:
    def __init__(self, files_dir: Path):
        self.files = files_dir
        self.tables: list[str] = []

    def take(self):
        from kaifaqu.demo.loader import load_demo

        self.tables = _model_tables()
        _copy(self.tables, BASE)
        media, anchor = self.files / "media", self.files / "audit-anchor"
        with override_settings(MEDIA_ROOT=media, AUDIT_ANCHOR_DIR=anchor):
            load_demo()
        _copy(self.tables, DEMO)
        _put_back(self.tables, BASE)

    def restore(self):
        """The demo's rows and files, into the current database and the current settings' directories."""
        _put_back(self.tables, DEMO)
        for name, target in (("media", settings.MEDIA_ROOT), ("audit-anchor", settings.AUDIT_ANCHOR_DIR)):
            source = self.files / name
            if source.exists():
                shutil.copytree(source, target, dirs_exist_ok=True)
