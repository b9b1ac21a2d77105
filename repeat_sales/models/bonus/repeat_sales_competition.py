# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

from .repeat_sales_bonus_figures import MEASURES


class RepeatSalesCompetition(models.Model):
    """A competition between salespeople over a period, on one measure.

    Its leaderboard ranks the salespeople taking part (every active
    salesperson of the company when none is chosen) by their figure of the
    measure, from ``repeat.sales.bonus.figures``; equal figures share a rank.
    """

    _name = "repeat.sales.competition"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Salespeople Competition"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    measure = fields.Selection(MEASURES, required=True, default="repeat_orders")
    user_ids = fields.Many2many(
        "res.users",
        string="Salespeople",
        domain="[('share', '=', False)]",
        help="Leave empty for every salesperson of the company.",
    )
    line_ids = fields.One2many(
        "repeat.sales.competition.line", "competition_id", string="Leaderboard"
    )
    leader_id = fields.Many2one(
        "res.users", string="Leader", compute="_compute_leader_id"
    )
    ranked_date = fields.Datetime(string="Ranked On", readonly=True)

    @api.depends("line_ids.rank")
    def _compute_leader_id(self):
        for competition in self:
            first = competition.line_ids.filtered(lambda line: line.rank == 1)
            competition.leader_id = first[:1].user_id

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        if any(c.date_to < c.date_from for c in self):
            raise ValidationError(
                self.env._("A competition cannot end before it starts.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        competitions = super().create(vals_list)
        competitions._rank()
        return competitions

    def action_rank(self):
        self.check_access("write")
        self._rank()
        return True

    def action_open_leaderboard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repeat_sales.repeat_sales_competition_line_action"
        )
        action["domain"] = [("competition_id", "=", self.id)]
        action["context"] = {"default_competition_id": self.id}
        action["display_name"] = self.name
        return action

    def _salespeople(self):
        """The internal users who are salespeople in the competitions' companies."""
        users = self.env["res.users"].search(
            [("share", "=", False), ("company_ids", "in", self.company_id.ids)]
        )
        return users.filtered(
            lambda user: user.has_group("sales_team.group_sale_salesman")
        )

    def _rank(self):
        """Replace each leaderboard with the current figures."""
        Figures = self.env["repeat.sales.bonus.figures"]
        now = fields.Datetime.now()
        everyone = self.filtered(lambda competition: not competition.user_ids)
        salespeople = everyone._salespeople() if everyone else self.env["res.users"]
        for competition in self:
            users = competition.user_ids or salespeople.filtered(
                lambda user, company=competition.company_id: company in user.company_ids
            )
            figures = Figures.with_company(competition.company_id)._figures(
                competition.company_id,
                competition.date_from,
                competition.date_to,
                users,
            )
            scores = sorted(
                (
                    (values[competition.measure], user_id)
                    for user_id, values in figures.items()
                ),
                key=lambda item: (-item[0], item[1]),
            )
            lines, rank, previous = [], 0, None
            for position, (score, user_id) in enumerate(scores, start=1):
                if score != previous:
                    rank, previous = position, score
                lines.append(
                    Command.create({"user_id": user_id, "score": score, "rank": rank})
                )
            # sudo: the leaderboard lines are the addon's, replaced as a whole on
            # this competition, which the caller may write.
            competition.sudo().write(
                {"line_ids": [Command.clear(), *lines], "ranked_date": now}
            )
