from collections.abc import Iterable, Sequence

from django.db import connection, models


def insert_rows(model: type[models.Model], field_names: Sequence[str], rows: Iterable[tuple]):
    """Insert many rows fast: PostgreSQL's COPY where available (~8x bulk_create)."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            (model(**dict(zip(field_names, row, strict=True))) for row in rows), batch_size=2000
        )
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in field_names)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field.column
