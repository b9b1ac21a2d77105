from odoo import fields
from odoo.tools import SQL

from .db_tuning import analyze


def post_init_hook(env):
    """Back-fill every customer's figures; give every company the defaults."""
    env["repeat.sales.partner.stat"]._recompute_all()
    env["res.company"].search([])._repeat_sales_create_defaults()
    env["repeat.sales.segment.snapshot"]._backfill()
    # The reports' own tables, from every order (analyzed by the refresh).
    env["repeat.sales.report.tables"]._cron_refresh(full=True)
    # Like the figures (analyzed by the full recompute), the history is large
    # on a real base: without statistics the planner takes it for empty.
    analyze(
        env.cr,
        [
            env["repeat.sales.segment.snapshot"]._table,
            env["repeat.sales.segment.move"]._table,
        ],
    )
    if env["ir.module.module"].search([("name", "=", "repeat_sales")]).demo:
        # The demo opens on today's follow-ups rather than waiting for the cron.
        followups = env["repeat.sales.followup"]
        while followups._run_plan_batch(fields.Date.context_today(followups)):
            pass


def uninstall_hook(env):
    # The indexes live on tables this addon does not own.
    for index in (
        "sale_order_repeat_sales_write_date_idx",
        "loyalty_card_repeat_stamp_uniq",
    ):
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    # The segment history's state and queue tables, the figures' unsure
    # customers and the cohort report's activity are the addon's own tables,
    # not a model's.
    for table in (
        "repeat_sales_segment_state",
        "repeat_sales_segment_queue",
        "repeat_sales_partner_stat_unsure",
        "repeat_sales_cohort_activity",
    ):
        env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
