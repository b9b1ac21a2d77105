# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Queues of customers for a nightly step to read again: one way to keep them.

A queue is a one-column table of commercial partner ids owned by the addon
(dropped by the uninstall hook). Requests only insert into it: no key and no
foreign key, so that queuing a customer never waits for nor conflicts with
another transaction. The nightly step reads it and removes what its own
transaction saw; rows queued by transactions not committed yet stay for the
next night.
"""

from odoo.tools import SQL


class CustomerQueue:
    def __init__(self, table):
        self.table = table

    def create_table(self, cr):
        cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s (partner_id integer NOT NULL)",
                SQL.identifier(self.table),
            )
        )

    def add(self, cr, partner_ids):
        if partner_ids:
            cr.execute(
                SQL(
                    "INSERT INTO %s (partner_id) SELECT unnest(%s::int[])",
                    SQL.identifier(self.table),
                    list(partner_ids),
                )
            )

    def queued_ids(self, cr):
        """The queued ids (sorted, once each), left in the queue."""
        cr.execute(
            SQL("SELECT DISTINCT partner_id FROM %s", SQL.identifier(self.table))
        )
        return sorted(partner_id for (partner_id,) in cr.fetchall())

    def clear(self, cr):
        cr.execute(SQL("DELETE FROM %s", SQL.identifier(self.table)))

    def take(self, cr):
        """The queued ids (sorted, once each), removed from the queue."""
        cr.execute(
            SQL("DELETE FROM %s RETURNING partner_id", SQL.identifier(self.table))
        )
        return sorted({partner_id for (partner_id,) in cr.fetchall()})
