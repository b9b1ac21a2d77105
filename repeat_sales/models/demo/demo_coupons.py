# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo's personal coupons (see ``repeat.sales.demo._generate``)."""

from odoo import Command

PROGRAM_NAME = "Come back: 10% off your next order"


def run(demo, products):
    """The 30-day e-mail step gives a personal coupon (10% off an order of at
    least 100, valid 30 days); the plan's first run sends them; one customer
    uses theirs on an order, applied through Odoo's coupon flow."""
    env = demo.env
    program = env["loyalty.program"].create(
        {
            "name": PROGRAM_NAME,
            "program_type": "coupons",
            "company_id": env.ref("base.main_company").id,
            "rule_ids": [Command.create({"minimum_amount": 100.0})],
            "reward_ids": [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount_mode": "percent",
                        "discount": 10,
                        "discount_applicability": "order",
                    }
                )
            ],
        }
    )
    env.ref("repeat_sales.followup_step_offer_email").write(
        {"coupon_program_id": program.id, "coupon_validity_days": 30}
    )
    demo._demo_run_plan()
    card = env["loyalty.card"].search(
        [("program_id", "=", program.id)], order="id", limit=1
    )
    if not card:
        return
    order = env["sale.order"].create(
        demo._demo_order_vals(card.partner_id, [("floor_tiles", 20)], products)
    )
    card.with_context(repeat_order_id=order.id).action_repeat_apply()
    order.action_confirm()
