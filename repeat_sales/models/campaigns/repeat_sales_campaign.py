# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import logging
import random
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ... import compat
from ..engine.repeat_sales_partner_stat import SEGMENTS
from .campaign_statistics import treated_against_control

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class RepeatSalesCampaign(models.Model):
    """A reactivation campaign run as an experiment with a control group.

    Starting it draws its customers, holds out a share of them at random (a
    seeded draw, recorded per customer) and contacts only the others. After
    its window, ordering and revenue of both groups are compared.
    """

    _name = "repeat.sales.campaign"
    _description = "Reactivation Campaign"
    _inherit = ["mail.thread", "repeat.sales.input.guard"]
    _order = "id desc"
    _repeat_ranges = {"window_days": (None, 3650)}
    _repeat_text_limits = {"partner_domain": 10_000}

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Finished")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    segment = fields.Selection(
        SEGMENTS,
        string="Customers Who Are",
        help="Only customers in this recency segment; leave empty for all.",
    )
    partner_domain = fields.Char(
        string="Customer Filter",
        default="[]",
        help="Only customers matching this filter.",
    )
    control_share = fields.Float(
        string="Control Group (%)",
        default=50.0,
        digits=(16, 1),
        help="Share of the customers held out: they get nothing from this campaign "
        "and show what would have happened without it.",
    )
    seed = fields.Integer(
        string="Draw Number",
        default=lambda self: random.SystemRandom().randint(1, 2**31 - 1),
        copy=False,
        help="The same draw number and customers always give the same control group.",
    )
    action = fields.Selection(
        [("email", "Send an e-mail"), ("activity", "Schedule an activity")],
        string="What Treated Customers Get",
        required=True,
        default="email",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'res.partner')]",
    )
    activity_type_id = fields.Many2one("mail.activity.type")
    activity_summary = fields.Char()
    start_date = fields.Date(readonly=True, copy=False)
    window_days = fields.Integer(
        string="Measured for (Days)",
        default=30,
        help="Orders confirmed within this many days after the start count.",
    )
    end_date = fields.Date(compute="_compute_end_date", store=True)
    member_ids = fields.One2many("repeat.sales.campaign.member", "campaign_id")
    currency_id = fields.Many2one(related="company_id.currency_id")

    treated_count = fields.Integer(
        compute="_compute_results", groups="sales_team.group_sale_manager"
    )
    control_count = fields.Integer(
        compute="_compute_results", groups="sales_team.group_sale_manager"
    )
    treated_ordered = fields.Integer(
        compute="_compute_results", groups="sales_team.group_sale_manager"
    )
    control_ordered = fields.Integer(
        compute="_compute_results", groups="sales_team.group_sale_manager"
    )
    treated_rate = fields.Float(
        string="Treated Who Ordered (%)",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
        digits=(16, 1),
    )
    control_rate = fields.Float(
        string="Control Who Ordered (%)",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
        digits=(16, 1),
    )
    rate_difference = fields.Float(
        string="Difference (points)",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
        digits=(16, 1),
    )
    rate_low = fields.Float(
        string="95% Interval From",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
        digits=(16, 1),
    )
    rate_high = fields.Float(
        string="95% Interval To",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
        digits=(16, 1),
    )
    rate_significant = fields.Boolean(
        string="Significant",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
        help="The 95% interval of the difference does not contain zero.",
    )
    treated_revenue = fields.Monetary(
        string="Revenue per Treated Customer",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
    )
    control_revenue = fields.Monetary(
        string="Revenue per Control Customer",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
    )
    revenue_difference = fields.Monetary(
        compute="_compute_results", groups="sales_team.group_sale_manager"
    )
    revenue_low = fields.Monetary(
        string="Revenue 95% Interval From",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
    )
    revenue_high = fields.Monetary(
        string="Revenue 95% Interval To",
        compute="_compute_results",
        groups="sales_team.group_sale_manager",
    )
    revenue_significant = fields.Boolean(
        compute="_compute_results", groups="sales_team.group_sale_manager"
    )

    @api.depends("start_date", "window_days")
    def _compute_end_date(self):
        for campaign in self:
            campaign.end_date = campaign.start_date and campaign.start_date + timedelta(
                days=campaign.window_days
            )

    @api.constrains(
        "control_share", "window_days", "action", "mail_template_id", "activity_type_id"
    )
    def _check_settings(self):
        for campaign in self:
            if not 0 < campaign.control_share < 100:
                raise ValidationError(
                    _("The control group must be more than 0% and less than 100%.")
                )
            if campaign.window_days < 1:
                raise ValidationError(_("A campaign is measured over at least 1 day."))
            if campaign.action == "email" and not campaign.mail_template_id:
                raise ValidationError(
                    _("Choose the e-mail template the campaign sends.")
                )
            if campaign.action == "activity" and not campaign.activity_type_id:
                raise ValidationError(
                    _("Choose the type of activity the campaign schedules.")
                )

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for campaign in self:
            campaign._customer_domain()

    def write(self, vals):
        frozen = {"segment", "partner_domain", "control_share", "seed", "company_id"}
        if frozen & vals.keys() and any(c.state != "draft" for c in self):
            raise UserError(
                _(
                    "The customers and the control group of a started campaign "
                    "are fixed."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Start: draw the groups, contact the treated customers
    # ------------------------------------------------------------------

    def _customer_domain(self):
        """The campaign's customers as a domain; a filter Odoo cannot run is refused."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        try:
            domain = list(ast.literal_eval(self.partner_domain or "[]"))
            # Building the query checks the domain's fields, operators and
            # structure without running it.
            Partner._search(domain)
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise ValidationError(
                _(
                    "The customer filter of %(campaign)s is not valid: check its "
                    "field names, operators and brackets.",
                    campaign=self.name,
                )
            ) from error
        domain += [("parent_id", "=", False)]
        if self.segment:
            domain.append(("repeat_segment", "=", self.segment))
        return domain

    def action_start(self):
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(
                    _(
                        "The campaign %(campaign)s has already started.",
                        campaign=campaign.name,
                    )
                )
            partners = (
                self.env["res.partner"]
                .with_company(campaign.company_id)
                .search(campaign._customer_domain())
            )
            if not partners:
                raise UserError(
                    _(
                        "No customer matches the campaign %(campaign)s.",
                        campaign=campaign.name,
                    )
                )
            campaign._draw_groups(partners)
            campaign.write(
                {"state": "running", "start_date": fields.Date.context_today(self)}
            )
        self.env.ref("repeat_sales.ir_cron_repeat_sales_campaign")._trigger()
        return True

    def _draw_groups(self, partners):
        """Record each customer's group: a seeded shuffle, the first share held out."""
        self.env["repeat.sales.campaign.member"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO repeat_sales_campaign_member
                       (campaign_id, company_id, partner_id, member_group,
                        contact_state, create_uid, create_date, write_uid, write_date)
                SELECT %(campaign)s, %(company)s, drawn.partner_id,
                       CASE WHEN drawn.held_out THEN 'control' ELSE 'treated' END,
                       CASE WHEN drawn.held_out THEN 'none' ELSE 'pending' END,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (
                    SELECT partner_id,
                           ROW_NUMBER() OVER (
                               ORDER BY md5(%(seed)s || ':' || partner_id), partner_id
                           ) <= ROUND(COUNT(*) OVER () * %(share)s / 100.0) AS held_out
                      FROM unnest(%(partner_ids)s::integer[]) AS partner_id
                  ) drawn
                ON CONFLICT (campaign_id, partner_id) DO NOTHING
                """,
                campaign=self.id,
                company=self.company_id.id,
                share=self.control_share,
                seed=str(self.seed),
                partner_ids=partners.ids,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.env["repeat.sales.campaign.member"].invalidate_model()

    @api.model
    def _cron_run_campaigns(self):
        """Contact one batch of treated customers; finish campaigns past their end."""
        Member = self.env["repeat.sales.campaign.member"]
        batch = Member.search(
            [("contact_state", "=", "pending"), ("campaign_id.state", "=", "running")],
            limit=BATCH_SIZE,
            order="id",
        )
        batch._contact()
        remaining = Member.search_count(
            [("contact_state", "=", "pending"), ("campaign_id.state", "=", "running")]
        )
        compat.cron_progress(self.env, done=len(batch), remaining=remaining)
        self.search(
            [
                ("state", "=", "running"),
                ("end_date", "<", fields.Date.context_today(self)),
            ]
        ).write({"state": "done"})
        _logger.info("repeat_sales: %s campaign contacts remain", remaining)

    # ------------------------------------------------------------------
    # Results: treated against control
    # ------------------------------------------------------------------

    def _group_figures(self):
        """{(campaign id, group): (customers, ordered, revenue, revenue²)}."""
        self.env["repeat.sales.campaign.member"].flush_model()
        self.env["sale.order"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT result.campaign_id, result.member_group, COUNT(*),
                       COUNT(*) FILTER (WHERE result.revenue IS NOT NULL),
                       COALESCE(SUM(result.revenue), 0),
                       COALESCE(SUM(result.revenue * result.revenue), 0)
                  FROM (%(results)s) result
                 WHERE result.campaign_id IN %(ids)s
              GROUP BY result.campaign_id, result.member_group
                """,
                results=self.env["repeat.sales.campaign.report"]._results_sql(),
                ids=tuple(self.ids),
            )
        )
        return {
            (campaign_id, group): (count, ordered, float(revenue), float(squares))
            for campaign_id, group, count, ordered, revenue, squares in (
                self.env.cr.fetchall()
            )
        }

    @api.depends("member_ids", "start_date", "window_days")
    def _compute_results(self):
        saved = self.browse(self.ids)
        figures = saved._group_figures() if saved else {}
        for campaign in self:
            treated = figures.get((campaign.id, "treated"), (0, 0, 0.0, 0.0))
            control = figures.get((campaign.id, "control"), (0, 0, 0.0, 0.0))
            campaign._set_results(treated, control)

    def _set_results(self, treated, control):
        self.update(treated_against_control(treated, control))

    def action_view_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repeat_sales.repeat_sales_campaign_report_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        return action
