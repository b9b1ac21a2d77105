# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL


class SaleOrder(models.Model):
    """What happens to orders, as hooks: each part of the addon reacts in its
    own ``models/<part>/sale_order.py``; this file knows none of them.

    Loaded before the parts (see ``models/__init__.py``): their overrides call
    ``super()`` and add their own reaction.
    """

    _inherit = "sale.order"

    def _repeat_confirmation_checks(self):
        """Per part, an SQL condition: may confirming these orders change that
        part's records? ``{name: condition}``; each condition reads
        ``scope.partner_ids`` (the orders' commercial partners) and
        ``scope.company_ids``, flushes what it reads, and is true whenever the
        part has something to do for these customers in these companies."""
        return {}

    def _repeat_confirmation_work(self):
        """The answers of every part's check, in one query: most orders come
        from customers for whom no part has anything to do, and a search per
        part (each also reading the customers' partner rows) would cost every
        confirmation several queries."""
        checks = self._repeat_confirmation_checks()
        if not checks:
            return {}
        self.flush_model(["partner_id", "company_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH scope AS (
                    SELECT ARRAY_AGG(DISTINCT customer.commercial_partner_id)
                               AS partner_ids,
                           ARRAY_AGG(DISTINCT so.company_id) AS company_ids
                      FROM sale_order so
                      JOIN res_partner customer ON customer.id = so.partner_id
                     WHERE so.id = ANY(%s)
                )
                SELECT %s FROM scope
                """,
                self.ids,
                SQL(", ").join(checks.values()),
            )
        )
        return dict(zip(checks, self.env.cr.fetchone(), strict=True))

    def _action_confirm(self):
        result = super()._action_confirm()
        self._repeat_on_confirmed(self._repeat_confirmation_work())
        return result

    def _repeat_on_confirmed(self, work):
        """Hook: these orders were just confirmed. ``work`` holds the answer of
        each part's ``_repeat_confirmation_checks``."""

    def _action_cancel(self):
        result = super()._action_cancel()
        self._repeat_on_cancelled()
        return result

    def _repeat_on_cancelled(self):
        """Hook: these orders were just cancelled."""

    def _compute_amounts(self):
        result = super()._compute_amounts()
        self._repeat_on_amounts_changed()
        return result

    def _repeat_on_amounts_changed(self):
        """Hook: the amounts of these orders were just computed again (their
        lines changed)."""
