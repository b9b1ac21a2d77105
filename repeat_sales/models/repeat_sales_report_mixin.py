# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL
from odoo.tools.misc import OrderedSet

from .. import compat

# Date granularities from the finest; a snapshot measure grouped by one of them
# takes the last snapshot of each period.
PERIODS = ("day", "week", "month", "quarter", "year")


def _spec(spec):
    """(field, granularity or aggregate) of a read_group spec."""
    fname, _sep, rest = spec.partition(":")
    return fname, rest or None


class RepeatSalesReportMixin(models.AbstractModel):
    """How report measures add up in group rows and totals.

    - ``_snapshot_measures``: figures that describe a day (customers, their
      revenue up to then). A total over days counts the same customers again,
      so a group shows the last snapshot of its period (per company): of each
      month when grouped by month, of the whole selection when not grouped by
      date.
    - ``_repeat_ratio_sql``: an average shown in a group row is the ratio of
      the sums it comes from (revenue / orders), not the mean of the rows'
      averages.
    """

    _name = "repeat.sales.report.mixin"
    _description = "Repeat Sales Report Aggregates"
    _snapshot_measures = ()
    _snapshot_date = "date"

    def _repeat_ratio_sql(self, fname, query):
        """(numerator, denominator) SQL of the average ``fname``, else ()."""
        return ()

    def _read_group_select(self, aggregate_spec, query):
        fname, func = _spec(aggregate_spec)
        if func == "avg" and fname in self._fields:
            ratio = self._repeat_ratio_sql(fname, query)
            if ratio:
                return SQL("SUM(%s)::float / NULLIF(SUM(%s), 0)", ratio[0], ratio[1])
        return super()._read_group_select(aggregate_spec, query)

    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        if any(_spec(spec)[0] in self._snapshot_measures for spec in aggregates):
            domain = compat.domain_and(
                [domain, self._last_snapshot_domain(domain, groupby)]
            )
        return super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )

    def _last_snapshot_domain(self, domain, groupby):
        """The rows of the last snapshot day of each period and company."""
        date = self._snapshot_date
        periods = [
            granularity or "day"
            for fname, granularity in map(_spec, groupby)
            if fname == date and (granularity or "day") in PERIODS
        ]
        period = [f"{date}:{min(periods, key=PERIODS.index)}"] if periods else []
        last_days = super()._read_group(
            domain, [*period, "company_id"], [f"{date}:max"]
        )
        days_by_company = {}
        for *_period, company, day in last_days:
            days_by_company.setdefault(company.id, OrderedSet()).add(day)
        return compat.domain_or(
            [
                [("company_id", "=", company_id), (date, "in", list(days))]
                for company_id, days in days_by_company.items()
            ]
        )
