# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL


class RepeatSalesValueFit(models.Model):
    """The nightly work of the value model: a refit when due, else the
    customers whose orders changed scored with the kept fit."""

    _inherit = "repeat.sales.value.fit"

    @api.model
    def _cron_fit_all(self):
        """Nightly: refit the models that are due, score the changed
        customers of the others."""
        companies = self.env["res.company"].search([])
        fits = self.search([("company_id", "in", companies.ids)])
        today = fields.Date.context_today(self)
        kept = fits.filtered(lambda fit: not fit._refit_due(today))
        self._fit_companies(companies - kept.company_id)
        for fit in kept:
            fit._score_changed(today)

    def _refit_due(self, today):
        """Whether the fit is missing, unusable, old or its setting changed."""
        self.ensure_one()
        return (
            self.state != "fitted"
            or not self.data_until
            # kept the company's days; the nights between score with it the
            # customers whose orders changed
            or (today - self.data_until).days > self.company_id.repeat_value_refit_days
            or self.discount_rate != self.company_id.repeat_value_discount_rate
            or not self.scored_at
        )

    def _score_changed(self, today):
        """Score, with this fit's parameters, the customers whose orders were
        written since the last scoring (orders up to yesterday)."""
        self.ensure_one()
        started = self.env.cr.now()
        company = self.company_id
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT written.partner_id FROM (%s) written",
                self.env["repeat.sales.order.facts"]._orders_sql(
                    company_ids=[company.id],
                    written_since=self.scored_at,
                    counted_only=False,
                ),
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        partner_ids, frequency, recency, age, mean_value = self._customer_histories(
            company, today, partner_ids=changed
        )
        figures = [None] * 7
        if len(partner_ids):
            order_values = None
            if self.value_state == "fitted":
                order_values = (self.p, self.q, self.v)
            figures = self._score(
                (self.r, self.alpha, self.a, self.b),
                order_values,
                frequency,
                recency,
                age,
                mean_value,
                threshold=self.valuable_order_value,
            )
        # The changed customers without an order before today lose theirs.
        self.env["repeat.sales.partner.stat"]._store_value_figures(
            company,
            np.array(changed, dtype=np.int64),
            [
                None if values is None else self._aligned(changed, partner_ids, values)
                for values in figures
            ],
            only=True,
        )
        self.write(
            {
                "scored_until": today - timedelta(days=1),
                "scored_at": started,
                "scored_count": len(partner_ids),
            }
        )

    @api.model
    def _aligned(self, changed, partner_ids, values):
        """``values`` (of ``partner_ids``) on the order of ``changed``: NaN
        (or False) for the changed customers without a history."""
        position = {partner_id: index for index, partner_id in enumerate(changed)}
        if values.dtype == bool:
            aligned = np.zeros(len(changed), dtype=bool)
        else:
            aligned = np.full(len(changed), np.nan)
        aligned[[position[partner_id] for partner_id in partner_ids.tolist()]] = values
        return aligned
