# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RepeatSalesReportTables(models.AbstractModel):
    """The reports kept as small tables by the nightly chain.

    The nightly ``reports`` step (after the figures and the segment history)
    brings each one up to the orders committed when it runs, from what
    changed since its last run; a report shows the figures as of that run.
    """

    _name = "repeat.sales.report.tables"
    _description = "Repeat Sales Report Tables"

    # The models whose ``_refresh(full=False)`` keeps their table.
    _maintained_reports = ("repeat.sales.cohort.report",)

    @api.model
    def _cron_refresh(self, full=False):
        """Nightly step: every maintained report brought up to date."""
        for model in self._maintained_reports:
            self.env[model]._refresh(full=full)
