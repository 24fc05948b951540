"""Fast bulk INSERT for importers' bulk services (services stay the only writers; they call this inside their
transaction and write the audit event themselves).

Django's ``bulk_create`` builds a model instance and runs each value through ``get_db_prep_save``: at 100 000 rows
that is most of an import's time. Here rows are plain tuples sent with ``executemany`` (psycopg 3 pipelines it,
sqlite3 loops in C). Only values the driver cannot take as they are get converted (dates on SQLite). The caller
passes values already validated against the model's fields (core.tabular_import does).
"""

import datetime

from django.db import connection, models


def _converter(field):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def insert_rows(model, columns: list[str], rows, batch_size=5000) -> int:
    """INSERT ``rows`` (iterables of values in the order of ``columns``, attnames) into ``model``'s table."""
    meta = model._meta
    fields = [next(f for f in meta.concrete_fields if f.attname == c) for c in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names come from the model, not the user)
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields)))
    convert = [(i, c) for i, c in enumerate(_converter(f) for f in fields) if c is not None]
    count = 0
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            if convert:
                row = list(row)
                for i, fn in convert:
                    if row[i] is not None and isinstance(row[i], datetime.date):
                        row[i] = fn(row[i])
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
