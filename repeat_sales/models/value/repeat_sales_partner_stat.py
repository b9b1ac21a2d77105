# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ...db_tuning import local_settings
from .arrays import pg_array

# The joins of the write-back hash a million rows in memory, not in 32
# batches on disk: half its time at 1M customers besides writing the rows.
WRITE_BACK_SETTINGS = {"work_mem": "256MB"}

# The per-customer figures of the value model, in the order of the arrays
# given to ``_store_value_figures``.
VALUE_COLUMNS = (
    "p_alive",
    "expected_orders_30d",
    "expected_orders_90d",
    "expected_orders_365d",
    "expected_order_value",
    "clv_12m",
    "valuable_leaving",
)


class RepeatSalesPartnerStat(models.Model):
    _inherit = "repeat.sales.partner.stat"

    # Written by the value model's nightly fit for the whole company at once
    # (repeat.sales.value.fit); empty while the company has no usable fit and
    # for customers whose first order is newer than the last fit. None of
    # them is indexed: rewriting them every night stays a heap-only update.
    p_alive = fields.Float(
        string="Probability Alive",
        readonly=True,
        aggregator="avg",
        help="Probability that the customer still buys from the company (BG/NBD "
        "model fitted on the company's customers, orders up to yesterday).",
    )
    expected_orders_30d = fields.Float(
        string="Expected Orders (30 Days)",
        readonly=True,
        help="Purchase days the model expects from the customer in the next 30 days.",
    )
    expected_orders_90d = fields.Float(
        string="Expected Orders (90 Days)",
        readonly=True,
        help="Purchase days the model expects from the customer in the next 90 days.",
    )
    expected_orders_365d = fields.Float(
        string="Expected Orders (365 Days)",
        readonly=True,
        help="Purchase days the model expects from the customer in the next 365 days.",
    )
    expected_order_value = fields.Monetary(
        readonly=True,
        aggregator="avg",
        help="Expected untaxed value of the customer's next purchase day "
        "(Gamma-Gamma model: the customer's mean repeat purchase drawn towards "
        "the company's mean).",
    )
    clv_12m = fields.Monetary(
        string="Value Next 12 Months",
        readonly=True,
        help="Expected orders month by month over the next 12 months times the "
        "expected order value, discounted at the company's yearly rate.",
    )
    valuable_leaving = fields.Boolean(
        string="Valuable but Probably Leaving",
        readonly=True,
        help="Probability alive below 50% and an expected order value in the top "
        "quarter of the company's customers.",
    )

    @api.model
    def _store_value_figures(self, company, partner_ids, figures, only=False):
        """Write the value figures of ``company``'s customers in one statement.

        ``partner_ids`` and each array of ``figures`` (one per VALUE_COLUMNS,
        None for all empty) are aligned; the company's rows of other customers
        are emptied, or left as they are with ``only``. Returns the number of
        rows written.
        """
        self.flush_model(["partner_id", "company_id"])
        names = SQL(", ").join(SQL.identifier(name) for name in VALUE_COLUMNS)
        arrays = [
            SQL(
                "%s::%s",
                pg_array(values) if values is not None else "{}",
                SQL("boolean[]" if name == "valuable_leaving" else "float8[]"),
            )
            for name, values in zip(VALUE_COLUMNS, figures, strict=True)
        ]
        with local_settings(self.env.cr, WRITE_BACK_SETTINGS):
            self.env.cr.execute(
                SQL(
                    """
                UPDATE repeat_sales_partner_stat stat
                   SET (%(names)s) = (%(values)s)
                  FROM repeat_sales_partner_stat target
             LEFT JOIN unnest(%(partners)s::int[], %(arrays)s)
                           AS figures(partner_id, %(names)s)
                        ON figures.partner_id = target.partner_id
                 WHERE target.company_id = %(company)s
                   AND stat.id = target.id
                   %(only)s
                """,
                    only=SQL(
                        "AND target.partner_id = ANY(%s::int[])", pg_array(partner_ids)
                    )
                    if only
                    else SQL(),
                    names=names,
                    # a NaN never reaches a screen
                    values=SQL(", ").join(
                        SQL("NULLIF(figures.%s, 'NaN')", SQL.identifier(name))
                        if name != "valuable_leaving"
                        else SQL("figures.%s", SQL.identifier(name))
                        for name in VALUE_COLUMNS
                    ),
                    partners=pg_array(partner_ids),
                    arrays=SQL(", ").join(arrays),
                    company=company.id,
                )
            )
            count = self.env.cr.rowcount
        self.invalidate_model(list(VALUE_COLUMNS))
        return count
