# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
import json
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ...db_tuning import create_analyzed_temp_table, few_rows_plan
from .repeat_sales_segment_snapshot import STATE_COLUMNS, STATE_TABLE

_logger = logging.getLogger(__name__)

# Where the state table stands: its day, the start of the run that took it,
# the day of the last full computation and the thresholds it used.
STATE_PARAM = "repeat_sales.segment_state"
# The day's snapshot is computed in full at least this often (a safety net
# for what the daily path does not see: orders or salespeople changed in SQL
# without their write date, figures left behind by a crash).
FULL_EVERY_DAYS = 7
FRESH_TABLE = "repeat_sales_segment_fresh"
CROSSED_TABLE = "repeat_sales_segment_crossed"


class RepeatSalesSegmentSnapshot(models.Model):
    """The daily snapshot from the previous one: only the customers whose
    row changed are read again."""

    _inherit = "repeat.sales.segment.snapshot"

    def init(self):
        res = super().init()
        # One row per customer and company as of the last snapshot day, kept
        # by the snapshot step alone; rows whose segment is null only have
        # orders dated after that day (next_order).
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(table)s (
                    partner_id integer NOT NULL,
                    company_id integer NOT NULL,
                    user_id integer,
                    team_id integer,
                    segment varchar,
                    last_order date,
                    next_order date,
                    revenue numeric NOT NULL,
                    order_count integer NOT NULL,
                    PRIMARY KEY (partner_id, company_id)
                );
                CREATE INDEX IF NOT EXISTS %(last_idx)s
                    ON %(table)s (company_id, last_order);
                CREATE INDEX IF NOT EXISTS %(user_idx)s ON %(table)s (user_id);
                CREATE INDEX IF NOT EXISTS %(next_idx)s
                    ON %(table)s (next_order) WHERE next_order IS NOT NULL;
                """,
                table=SQL.identifier(STATE_TABLE),
                last_idx=SQL.identifier(f"{STATE_TABLE}_last_order_idx"),
                user_idx=SQL.identifier(f"{STATE_TABLE}_user_idx"),
                next_idx=SQL.identifier(f"{STATE_TABLE}_next_order_idx"),
            )
        )
        return res

    # ------------------------------------------------------------------
    # Where the state stands
    # ------------------------------------------------------------------

    @api.model
    def _state_marker(self):
        # sudo: system parameters are admin-only; the step needs its own marker.
        value = self.env["ir.config_parameter"].sudo().get_param(STATE_PARAM)
        return json.loads(value) if value else {}

    @api.model
    def _set_state_marker(self, marker):
        # sudo: as in _state_marker, the step's own system parameter.
        self.env["ir.config_parameter"].sudo().set_param(
            STATE_PARAM, json.dumps(marker)
        )

    @api.model
    def _thresholds(self):
        """Every company's segment thresholds, as the marker keeps them."""
        self.env["res.company"].flush_model(["repeat_hot_days", "repeat_warm_days"])
        self.env.cr.execute(
            SQL(
                """SELECT id, repeat_hot_days, repeat_warm_days
                     FROM res_company ORDER BY id"""
            )
        )
        return [list(row) for row in self.env.cr.fetchall()]

    @api.model
    def _day_is_taken(self, day):
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM repeat_sales_segment_snapshot WHERE date = %s LIMIT 1",
                day,
            )
        )
        return bool(self.env.cr.rowcount)

    # ------------------------------------------------------------------
    # The day's snapshot
    # ------------------------------------------------------------------

    @api.model
    def _cron_take_snapshot(self):
        """Daily: today's snapshot, moves since the previous snapshot day."""
        today = fields.Date.context_today(self)
        latest = self.search([("date", "<", today)], limit=1, order="date desc")
        self._take_day(today, latest.date or today - relativedelta(days=1))

    @api.model
    def _take_day(self, day, previous_day):
        """Snapshot and moves of ``day``, and the state table brought to it.

        From the state of ``previous_day`` when it is there (same thresholds,
        a full computation less than FULL_EVERY_DAYS ago, nothing of ``day``
        taken yet); from every order otherwise. Both give the same rows.
        """
        marker = self._state_marker()
        if marker.get("day") == fields.Date.to_string(day):
            # A rerun of the day: only companies without rows of it get
            # theirs. If any did, the day's rows are no longer the sum of
            # the state: the next day is computed in full.
            count = self.search_count([("date", "=", day)])
            self._take(day, previous_day)
            if self.search_count([("date", "=", day)]) == count:
                return "taken"
            self._set_state_marker({})
            return "full"
        started = fields.Datetime.to_string(self.env.cr.now())
        thresholds = self._thresholds()
        full_day = fields.Date.to_date(marker.get("full_day"))
        if (
            marker.get("day") == fields.Date.to_string(previous_day)
            and marker.get("thresholds") == thresholds
            and full_day
            and (day - full_day).days < FULL_EVERY_DAYS
            and not self._day_is_taken(day)
        ):
            self._take_from_state(day, previous_day, marker["since"])
            mode = "daily"
        else:
            taken_before = self._day_is_taken(day)
            # The state is read again in full: what was queued is in it.
            self._empty_queue()
            self._take(day, previous_day, keep_state=True)
            full_day, mode = day, "full"
            if taken_before:
                # Some rows of the day were there already: they are not the
                # sum of the state, which the next day must not start from.
                self._set_state_marker({})
                return mode
        self._set_state_marker(
            {
                "day": fields.Date.to_string(day),
                "since": started,
                "full_day": fields.Date.to_string(full_day),
                "thresholds": thresholds,
            }
        )
        return mode

    @api.model
    def _take_from_state(self, day, previous_day, since):
        """Day ``day`` from the snapshot and state of ``previous_day``.

        Each group's row is the previous one's, minus the old rows of the
        customers read again or crossing a threshold, plus their new rows;
        the moves are those customers' alone (the others kept their
        segment). Then the state takes their new rows.
        """
        self._flush_sources()
        cr = self.env.cr
        state = SQL.identifier(STATE_TABLE)
        fresh, crossed = SQL.identifier(FRESH_TABLE), SQL.identifier(CROSSED_TABLE)
        with few_rows_plan(cr):
            changed, reread, rows = self._changed_rows_sql(day, previous_day, since)
            create_analyzed_temp_table(cr, FRESH_TABLE, rows)
            create_analyzed_temp_table(
                cr, CROSSED_TABLE, self._crossed_sql(day, previous_day, changed)
            )
            crossed_count = self._write_day(
                {
                    "state": state,
                    "fresh": fresh,
                    "crossed": crossed,
                    "changed": changed,
                    "day": day,
                    "previous_day": previous_day,
                    "uid": self.env.uid,
                    "now": cr.now(),
                }
            )
        for table in (fresh, crossed):
            cr.execute(SQL("DROP TABLE %s", table))
        self.env.invalidate_all()
        _logger.info(
            "repeat_sales: snapshot of %s from the previous day: %s customers "
            "changed (%s read from their orders), %s crossed a threshold",
            day,
            len(changed),
            len(reread),
            crossed_count,
        )

    @api.model
    def _write_day(self, values):
        """The day's snapshot and moves from the previous day's and the
        temporary tables, then the state brought to the day; returns the
        number of customers that crossed a threshold."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO repeat_sales_segment_snapshot
                       (date, company_id, user_id, team_id, segment,
                        customer_count, revenue, order_count,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(day)s, company_id, user_id, team_id, segment,
                       SUM(customers), SUM(revenue), SUM(orders),
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (
                    SELECT company_id, user_id, team_id, segment,
                           customer_count AS customers, revenue,
                           order_count AS orders
                      FROM repeat_sales_segment_snapshot
                     WHERE date = %(previous_day)s
                 UNION ALL
                    SELECT state.company_id, state.user_id, state.team_id,
                           state.segment, -1, -state.revenue, -state.order_count
                      FROM unnest(%(changed)s::int[]) AS scope(partner_id)
                      JOIN %(state)s state ON state.partner_id = scope.partner_id
                     WHERE state.segment IS NOT NULL
                 UNION ALL
                    SELECT company_id, user_id, team_id, segment, 1, revenue,
                           order_count
                      FROM %(fresh)s WHERE segment IS NOT NULL
                 UNION ALL
                    SELECT company_id, user_id, team_id, previous_segment, -1,
                           -revenue, -order_count
                      FROM %(crossed)s
                 UNION ALL
                    SELECT company_id, user_id, team_id, segment, 1, revenue,
                           order_count
                      FROM %(crossed)s
                  ) rows
              GROUP BY company_id, user_id, team_id, segment
                HAVING SUM(customers) > 0
                    ON CONFLICT DO NOTHING
                """,
                **values,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO repeat_sales_segment_move
                       (date, previous_date, company_id, user_id, team_id,
                        from_segment, to_segment, customer_count,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(day)s, %(previous_day)s, company_id, user_id, team_id,
                       previous_segment, segment, COUNT(*),
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (
                    SELECT company_id, user_id, team_id, previous_segment, segment
                      FROM %(fresh)s
                     WHERE segment IS NOT NULL AND previous_segment <> segment
                 UNION ALL
                    SELECT company_id, user_id, team_id, previous_segment, segment
                      FROM %(crossed)s
                  ) moving
              GROUP BY company_id, user_id, team_id, previous_segment, segment
                    ON CONFLICT DO NOTHING
                """,
                **values,
            )
        )
        cr.execute(
            SQL(
                """DELETE FROM %(state)s state
                    USING unnest(%(changed)s::int[]) AS scope(partner_id)
                    WHERE state.partner_id = scope.partner_id""",
                **values,
            )
        )
        self._empty_queue()
        cr.execute(
            SQL(
                "INSERT INTO %(state)s (%(columns)s) SELECT %(columns)s FROM %(fresh)s",
                columns=SQL(", ").join(map(SQL.identifier, STATE_COLUMNS)),
                **values,
            )
        )
        cr.execute(
            SQL(
                """UPDATE %(state)s state SET segment = crossed.segment
                     FROM %(crossed)s crossed
                    WHERE state.partner_id = crossed.partner_id
                      AND state.company_id = crossed.company_id""",
                **values,
            )
        )
        return cr.rowcount
