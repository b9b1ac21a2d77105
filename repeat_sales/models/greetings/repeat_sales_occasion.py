# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RepeatSalesOccasion(models.Model):
    """An occasion on which a company greets its customers, every year.

    A customer's birthday, the anniversary of their first order with the
    company, or a date the company chooses (a holiday, the company's
    anniversary): on that day and month, each customer of the company gets the
    occasion's e-mail, once a year (``repeat.sales.greeting``).
    """

    _name = "repeat.sales.occasion"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Greeting Occasion"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("birthday", "The customer's birthday"),
            ("first_order", "Anniversary of the first order"),
            ("date", "A date of the company"),
        ],
        required=True,
        default="date",
    )
    date = fields.Date(
        help="Its day and month come back every year: the customers are greeted "
        "on that day.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        required=True,
        domain="[('model', '=', 'res.partner')]",
        help="Written in the customer's language when the template says so.",
    )
    greeting_ids = fields.One2many("repeat.sales.greeting", "occasion_id")
    greeting_count = fields.Integer(compute="_compute_greeting_count")

    @api.depends("greeting_ids")
    def _compute_greeting_count(self):
        counts = dict(
            self.env["repeat.sales.greeting"]._read_group(
                [("occasion_id", "in", self.ids), ("state", "=", "sent")],
                ["occasion_id"],
                ["__count"],
            )
        )
        for occasion in self:
            occasion.greeting_count = counts.get(occasion, 0)

    @api.constrains("kind", "date", "mail_template_id")
    def _check_occasion(self):
        for occasion in self:
            if occasion.kind == "date" and not occasion.date:
                raise ValidationError(
                    self.env._(
                        "The occasion “%(occasion)s” needs its date.",
                        occasion=occasion.name,
                    )
                )
            if occasion.mail_template_id.model != "res.partner":
                raise ValidationError(
                    self.env._(
                        "The template “%(template)s” of the occasion "
                        "“%(occasion)s” is made for %(model)s; a greeting is "
                        "written to a customer and needs a template for Contacts.",
                        template=occasion.mail_template_id.name,
                        occasion=occasion.name,
                        model=occasion.mail_template_id.model_id.name,
                    )
                )

    def action_view_greetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repeat_sales.repeat_sales_greeting_action"
        )
        action["domain"] = [("occasion_id", "=", self.id)]
        return action
