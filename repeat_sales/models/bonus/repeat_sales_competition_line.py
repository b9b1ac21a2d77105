# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RepeatSalesCompetitionLine(models.Model):
    """A salesperson's place on a competition's leaderboard."""

    _name = "repeat.sales.competition.line"
    _description = "Competition Leaderboard Line"
    _order = "competition_id, rank, user_id"
    _rec_name = "user_id"

    competition_id = fields.Many2one(
        "repeat.sales.competition", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="competition_id.company_id", store=True, index=True
    )
    date_from = fields.Date(related="competition_id.date_from", store=True)
    measure = fields.Selection(related="competition_id.measure", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True)
    rank = fields.Integer(required=True, aggregator="min")
    score = fields.Float(required=True, digits=(16, 2), aggregator="sum")
