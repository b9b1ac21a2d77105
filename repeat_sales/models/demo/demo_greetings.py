# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo's greetings and rhythm call (see ``repeat.sales.demo._generate``)."""

BIRTH_YEAR = 1992  # a leap year: any day of the year is a birthday in it


def run(demo, partners, seller, admin, products, today):
    """A weekly buyer late for their week, called by the plan's rhythm step
    (switched on for the demo), and birthday greetings sent today to them and
    to one of the manager's customers."""
    env = demo.env
    weekly = env["res.partner"].create(
        {
            "name": "Corner Bakery (Weekly)",
            "is_company": True,
            "email": "orders@corner-bakery.example.com",
            "city": "Ghent",
            "country_id": env.ref("base.be").id,
            "user_id": seller.id,
            "customer_rank": 1,
            "birthday": today.replace(year=BIRTH_YEAR),
        }
    )
    # Every 7 days, the last one 11 days ago: late at 1.5 × 7 days.
    demo._demo_orders(
        [(weekly, days, [("floor_tiles", 4)]) for days in (25, 18, 11)],
        products,
        today,
    )
    env["repeat.sales.partner.stat"]._recompute_partners(weekly)
    env.ref("repeat_sales.followup_step_rhythm_call").active = True
    demo._demo_run_plan()
    partners.filtered(lambda partner: partner.user_id == admin and partner.email)[
        :1
    ].birthday = today.replace(year=BIRTH_YEAR - 7)
    Greeting = env["repeat.sales.greeting"]
    while Greeting._cron_send_greetings():
        pass
