# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PostgreSQL tuning of the addon's bulk statements, in one place.

Plain functions taking a cursor: planner switches for statements whose
estimates mislead PostgreSQL, table statistics after bulk writes, and the
back-fill of an empty table without its keys. The models call them by name
and read as business code.
"""

from contextlib import contextmanager

from odoo.tools import SQL

# A few customers out of all (the daily update of the customers who changed):
# through the indexes, row by row. The planner's estimates for a list would
# have it walk a whole table to join the rows to write, and compile the plan.
FEW_ROWS_SETTINGS = {
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
    "jit": "off",
}
# Equality joins between large unsorted sets of intermediate results without
# statistics (offer mining): PostgreSQL underestimates them and picks nested
# loops that rescan millions of rows per row, or merge joins; JIT costs
# seconds of compiling for one run.
LARGE_JOIN_SETTINGS = {
    "enable_nestloop": "off",
    "enable_mergejoin": "off",
    "jit": "off",
}
# Memory for each index a back-fill builds over a filled table.
INDEX_BUILD_MEM = "256MB"


@contextmanager
def local_settings(cr, settings):
    """PostgreSQL ``settings`` (name: value) for the statements of the block.

    Set for the current transaction only, and the previous values are restored
    after the block: later statements of the same transaction run as before.
    """
    cr.execute(
        SQL(
            "SELECT %s",
            SQL(", ").join(SQL("current_setting(%s)", name) for name in settings),
        )
    )
    previous = dict(zip(settings, cr.fetchone(), strict=True))

    def apply(values):
        cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, value)
                    for name, value in values.items()
                ),
            )
        )

    apply(settings)
    try:
        yield
    finally:
        apply(previous)


def few_rows_plan(cr):
    """Planner settings for statements that touch a few rows of large tables."""
    return local_settings(cr, FEW_ROWS_SETTINGS)


def large_joins_plan(cr, work_mem):
    """Planner settings for hash joins of large intermediate results;
    ``work_mem`` bounds the memory of each sort or hash."""
    return local_settings(cr, {**LARGE_JOIN_SETTINGS, "work_mem": work_mem})


def analyze(cr, tables):
    """Refresh the statistics of these tables after a bulk change: the planner
    must not keep believing a back-filled table empty."""
    for table in tables:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


def create_analyzed_temp_table(cr, table, query):
    """A temporary table of ``query``'s rows, dropped at commit and analyzed:
    the statements joining it are planned on real numbers."""
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
    cr.execute(
        SQL(
            "CREATE TEMPORARY TABLE %s ON COMMIT DROP AS %s",
            SQL.identifier(table),
            query,
        )
    )
    analyze(cr, [table])


def row_address(alias):
    """The physical address of a row just read (its ``ctid``): an UPDATE
    joined on it writes those row versions without a second lookup by id."""
    return SQL.identifier(alias, "ctid")


def set_fillfactor(cr, table, percent):
    """Fill only ``percent`` of each page of ``table``: the rest takes new
    versions of updated rows on the same page (heap-only updates)."""
    cr.execute(
        SQL(
            "ALTER TABLE %s SET (fillfactor = %s)",
            SQL.identifier(table),
            SQL(str(int(percent))),
        )
    )


def is_empty(cr, table):
    cr.execute(SQL("SELECT NOT EXISTS (SELECT FROM %s)", SQL.identifier(table)))
    return cr.fetchone()[0]


def insert_without_keys(cr, table, insert):
    """Run ``insert`` (an INSERT into the empty ``table``) with the table's
    indexes and keys dropped, then build them again; returns its row count.

    Checked row by row as they are inserted, indexes and foreign keys cost
    twice the aggregate itself on a large base; built once over the filled
    table, a fraction of it. Their definitions are read from the catalog and
    restored as they were, in this transaction and under an exclusive lock:
    no one else ever sees the table without them.
    """
    name = SQL.identifier(table)
    cr.execute(SQL("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", name))
    cr.execute(
        SQL(
            """SELECT conname, pg_get_constraintdef(oid)
                 FROM pg_constraint
                WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')
             ORDER BY contype = 'f', conname""",
            table,
        )
    )
    constraints = cr.fetchall()
    cr.execute(
        SQL(
            """SELECT relation.relname, pg_get_indexdef(ind.indexrelid)
                 FROM pg_index ind
                 JOIN pg_class relation ON relation.oid = ind.indexrelid
                WHERE ind.indrelid = %s::regclass
                  AND NOT EXISTS (SELECT FROM pg_constraint
                                   WHERE conindid = ind.indexrelid)""",
            table,
        )
    )
    indexes = cr.fetchall()
    # Foreign keys first: a primary key cannot go while one refers to it.
    for constraint, _definition in reversed(constraints):
        cr.execute(
            SQL("ALTER TABLE %s DROP CONSTRAINT %s", name, SQL.identifier(constraint))
        )
    for index, _definition in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(index)))
    cr.execute(insert)
    count = cr.rowcount
    # Definitions PostgreSQL printed itself, of this table only; each index
    # sorted in memory rather than in runs on disk.
    with local_settings(cr, {"maintenance_work_mem": INDEX_BUILD_MEM}):
        for _index, definition in indexes:
            cr.execute(SQL(definition))
        for constraint, definition in constraints:
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD CONSTRAINT %s %s",
                    name,
                    SQL.identifier(constraint),
                    SQL(definition),
                )
            )
    return count
