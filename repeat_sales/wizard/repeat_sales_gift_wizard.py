# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class RepeatSalesGiftWizard(models.TransientModel):
    """Add a stamp gift to a quotation as a free line."""

    _name = "repeat.sales.gift.wizard"
    _description = "Choose a Stamp Gift"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id")
    tier_id = fields.Many2one(
        "repeat.sales.loyalty.tier", string="Tier", compute="_compute_card"
    )
    stamp_balance = fields.Integer(string="Stamps", compute="_compute_card")
    stamps_reserved = fields.Integer(
        string="Stamps for Gifts on this Order",
        compute="_compute_card",
        help="Gifts already on this order take their stamps at confirmation.",
    )
    card_size = fields.Integer(string="Stamps per Gift", compute="_compute_card")
    allowed_gift_ids = fields.Many2many("loyalty.reward", compute="_compute_card")
    gift_id = fields.Many2one(
        "loyalty.reward", string="Gift", domain="[('id', 'in', allowed_gift_ids)]"
    )

    @api.depends("order_id")
    def _compute_card(self):
        programs = self.env["loyalty.program"]._repeat_stamp_programs(
            self.order_id.company_id
        )
        for wizard in self:
            order = wizard.order_id
            program = programs.get(order.company_id)
            tier = order.repeat_loyalty_tier_id
            if not tier and program:
                tier = program._repeat_tier_for(0.0)
            wizard.tier_id = tier
            wizard.stamp_balance = order.repeat_stamp_balance
            wizard.card_size = program.repeat_card_size if program else 0
            gift_lines = order.order_line.filtered("repeat_gift_id")
            wizard.stamps_reserved = len(gift_lines) * wizard.card_size
            wizard.allowed_gift_ids = tier._allowed_gifts() if tier else False

    def action_add_gift(self):
        self.ensure_one()
        order = self.order_id
        if order.state not in ("draft", "sent"):
            raise UserError(_("Gifts are added to quotations, before confirmation."))
        if not self.gift_id or self.gift_id not in self.allowed_gift_ids:
            raise UserError(
                _(
                    "%(customer)s's tier does not give access to this gift.",
                    customer=order.partner_id.display_name,
                )
            )
        if self.stamp_balance - self.stamps_reserved < self.card_size:
            raise UserError(
                _(
                    "%(customer)s has %(balance)s stamps, %(reserved)s of them already "
                    "for gifts on this order: a gift needs %(size)s.",
                    customer=order.partner_id.display_name,
                    balance=self.stamp_balance,
                    reserved=self.stamps_reserved,
                    size=self.card_size,
                )
            )
        gift = self.gift_id
        order.order_line = [
            Command.create(
                {
                    "product_id": gift.reward_product_id.id,
                    "product_uom_qty": gift.reward_product_qty,
                    "price_unit": 0.0,
                    "technical_price_unit": 0.0,
                    "name": _("Stamp gift: %(gift)s", gift=gift.description),
                    "repeat_gift_id": gift.id,
                }
            )
        ]
        return {"type": "ir.actions.act_window_close"}
