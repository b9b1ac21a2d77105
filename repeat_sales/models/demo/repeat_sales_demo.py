# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Command

from ... import compat
from . import demo_coupons, demo_greetings
from . import demo_story as story

_logger = logging.getLogger(__name__)

SEED = 20240518
BATCH = 100
CAMPAIGN_START_DAYS = 45  # the finished campaign started this many days ago


class RepeatSalesDemo(models.AbstractModel):
    """Demo data generator, run once by the demo data of the addon.

    Deterministic (fixed seed), dates relative to the install day. Orders are
    confirmed through the ORM and every other record goes through the entry
    points a user or a scheduled action uses, so each part reacts as in real
    life; then the addon's scheduled actions run so that every screen is full.
    """

    _name = "repeat.sales.demo"
    _description = "Repeat Sales Demo Data"

    @api.model
    def _generate(self):
        rng = random.Random(SEED)
        today = fields.Date.context_today(self)
        company = self.env.ref("base.main_company")
        admin = self.env.ref("base.user_admin")
        seller = self._demo_seller()
        company.write(
            {
                "repeat_complaint_user_id": admin.id,
                "repeat_followup_user_id": admin.id,
            }
        )
        products = self._demo_products()
        self._demo_stamp_program(company, products)
        customers = story.customers(rng)
        partners = self._demo_partners(customers, seller, admin)
        orders = [
            (partner, days, lines)
            for customer, partner in zip(customers, partners, strict=True)
            for days, lines in story.order_plan(rng, customer)
        ]
        self._demo_orders(orders, products, today)
        # Open quotations of some customers who never ordered.
        self._demo_quotations(partners[-story.NEVER_ORDERED :: 3], products)
        Stat = self.env["repeat.sales.partner.stat"]
        Stat._cron_recompute_all()
        self._demo_campaign(company, products, today, rng)
        Stat._cron_recompute_all()
        self.env["repeat.sales.offer.rule"]._cron_mine_rules()
        self.env["repeat.sales.offer"]._cron_update_offers()
        demo_coupons.run(self, products)  # the plan's first run gives coupons
        self._demo_overdue(today)
        self._demo_calls(partners, seller, admin, rng, today)
        self._demo_wins(seller, today)
        # The plan's second run, with a rhythm call; then greetings.
        demo_greetings.run(self, partners, seller, admin, products, today)
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        self.env["repeat.sales.segment.snapshot"]._backfill()
        # The night after: every step of the nightly chain runs once, so the
        # manager's Nightly Work shows each step done (snapshot, stamps, value).
        self.env["repeat.sales.nightly.step"]._run_chain_to_end()
        _logger.info("repeat_sales: demo with %s customers", len(partners))

    # ------------------------------------------------------------------
    # People and catalogue
    # ------------------------------------------------------------------

    @api.model
    def _demo_seller(self):
        """The salesperson of the demo: login ``sales``, password ``sales``."""
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Sam Seller",
                    "login": "sales",
                    "password": "sales",
                    "email": "sam.seller@example.com",
                    # Plain sales rights, and the contact creation every new
                    # user gets (a call's next step is an activity on the
                    # customer: it needs write access to contacts).
                    compat.USER_GROUPS: [
                        Command.set(
                            [
                                self.env.ref("sales_team.group_sale_salesman").id,
                                self.env.ref("base.group_partner_manager").id,
                            ]
                        )
                    ],
                }
            )
        )

    @api.model
    def _demo_products(self):
        categories = {
            key: self.env["product.category"].create(
                {
                    "name": name,
                    "parent_id": compat.root_product_category(self.env).id,
                }
            )
            for key, name in story.CATEGORIES.items()
        }
        vals_list = [
            {
                "name": name,
                "default_code": code,
                "categ_id": categories[category].id,
                "type": "consu",
                "list_price": price,
                "standard_price": cost,
                "uom_id": self.env.ref(story.UNITS[uom]).id,
            }
            for _key, name, code, category, uom, price, cost in story.PRODUCTS
        ]
        records = self.env["product.product"].create(vals_list)
        return {
            item[0]: product
            for item, product in zip(story.PRODUCTS, records, strict=True)
        }

    @api.model
    def _demo_stamp_program(self, company, products):
        """A stamp a 100 spent, a full card of 10 gives a gift of the tier."""
        program = self.env["loyalty.program"].create(
            {
                "name": "Stamp Card",
                "company_id": company.id,
                "program_type": "loyalty",
                "applies_on": "future",
                "repeat_is_stamp_program": True,
                "repeat_stamp_amount": 100.0,
                "repeat_card_size": 10,
                "rule_ids": [],
                "repeat_tier_ids": [Command.create(vals) for vals in story.TIERS],
            }
        )
        tiers = program.repeat_tier_ids.sorted("min_spend")
        program.reward_ids = [
            Command.clear(),
            *(
                Command.create(
                    {
                        "reward_type": "product",
                        "reward_product_id": products[key].id,
                        "required_points": 10,
                        "repeat_tier_id": tier.id,
                    }
                )
                for key, tier in zip(story.GIFTS, tiers, strict=True)
            ),
        ]
        return program

    @api.model
    def _demo_partners(self, customers, seller, admin):
        owners = {"sales": seller.id, "manager": admin.id, "none": False}
        return self.env["res.partner"].create(
            [
                {
                    "name": customer["name"],
                    "is_company": customer["is_company"],
                    "email": customer["email"],
                    "phone": customer["phone"],
                    "city": customer["city"],
                    "country_id": self.env.ref("base.be").id,
                    "user_id": owners[customer["owner"]],
                    "customer_rank": 1,
                }
                for customer in customers
            ]
        )

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------

    @api.model
    def _demo_order_vals(self, partner, lines, products):
        return {
            "partner_id": partner.id,
            "user_id": partner.user_id.id or self.env.ref("base.user_admin").id,
            "order_line": [
                Command.create(
                    {"product_id": products[key].id, "product_uom_qty": quantity}
                )
                for key, quantity in lines
            ],
        }

    @api.model
    def _demo_orders(self, orders, products, today):
        """Create and confirm the orders in batches, then date them in the past.

        Confirmation dates an order today; its real day is written after, as
        an order entered late would be.
        """
        # No chatter for history: no "assigned to you" mail per order.
        SaleOrder = self.env["sale.order"].with_context(
            tracking_disable=True, sale_no_log_for_new_lines=True
        )
        for start in range(0, len(orders), BATCH):
            batch = orders[start : start + BATCH]
            records = SaleOrder.create(
                [
                    self._demo_order_vals(partner, lines, products)
                    for partner, _days, lines in batch
                ]
            )
            records.action_confirm()
            for record, (_partner, days, _lines) in zip(records, batch, strict=True):
                record.date_order = story.moment(today, days, record.id)

    @api.model
    def _demo_quotations(self, partners, products):
        lines = [("floor_tiles", 20), ("grout", 2)]
        self.env["sale.order"].create(
            [self._demo_order_vals(partner, lines, products) for partner in partners]
        )

    # ------------------------------------------------------------------
    # The addon's own work
    # ------------------------------------------------------------------

    @api.model
    def _demo_campaign(self, company, products, today, rng):
        """A campaign to sleeping customers, started and measured in the past.

        The groups are drawn by the campaign itself; treated customers then
        come back more often than the control group.
        """
        Campaign = self.env["repeat.sales.campaign"]
        campaign = Campaign.create(
            {
                "name": "Spring reactivation mailing",
                "company_id": company.id,
                "segment": "sleeping",
                "control_share": 40.0,
                "seed": SEED,
                "action": "email",
                "mail_template_id": self.env.ref(
                    "repeat_sales.mail_template_special_offer"
                ).id,
                "window_days": 30,
            }
        )
        campaign.action_start()
        start = today - timedelta(days=CAMPAIGN_START_DAYS)
        campaign.write({"start_date": start})
        orders = []
        for member in campaign.member_ids.sorted("id"):
            chance = 0.4 if member.member_group == "treated" else 0.1
            if rng.random() < chance:
                basket = rng.choice(["repair", "plants", "basin"])
                days = CAMPAIGN_START_DAYS - rng.randint(2, 28)
                orders.append((member.partner_id, days, story._lines(rng, basket)))
        self._demo_orders(orders, products, today)
        return campaign

    @api.model
    def _demo_run_plan(self):
        Followup = self.env["repeat.sales.followup"]
        for _run in range(10):
            Followup._cron_run_plan()
            if not Followup.search_count([("state", "=", "pending")]):
                break

    @api.model
    def _demo_overdue(self, today):
        """Give the planned activities the deadline of the day their step fell due.

        The plan runs for the first time today; on a live database the steps
        due earlier were planned on their day: some are due today, some overdue.
        """
        activities = self.env["mail.activity"].search(
            [("repeat_followup_id", "!=", False)], order="id"
        )
        for activity in activities:
            followup = activity.repeat_followup_id
            deadline = followup.due_date + timedelta(
                days=followup.step_id.activity_deadline_days
            )
            if deadline < activity.date_deadline:
                activity.date_deadline = deadline
                followup.deadline = deadline

    @api.model
    def _demo_calls(self, partners, seller, admin, rng, today):
        """Calls with every outcome, logged as the call dialog logs them."""
        call_type = self.env.ref("mail.mail_activity_data_call")
        planned = self.env["mail.activity"].search(
            [
                ("repeat_followup_id", "!=", False),
                ("activity_type_id", "=", call_type.id),
            ],
            order="date_deadline, id",
        )
        reasons = self.env["repeat.sales.call.reason"].search([])
        lost = self.env["repeat.sales.lost.reason"].search([])
        called = set()
        position = 0
        for outcome, count in story.CALLS:
            for _number in range(count):
                # Half the calls carry out a planned call, the others are
                # spontaneous, on customers not called yet.
                activity = planned[position] if position < len(planned) else None
                position += 1
                if activity and position % 2:
                    partner = partners.browse(activity.res_id)
                else:
                    activity = None
                    partner = rng.choice(
                        [
                            p
                            for p in partners
                            if p.id not in called
                            and p.repeat_segment in ("warm", "sleeping")
                        ]
                    )
                called.add(partner.id)
                caller = partner.user_id or admin
                vals = {
                    "partner_id": partner.id,
                    "outcome": outcome,
                    "call_reason_id": rng.choice(reasons).id,
                    "duration": round(rng.uniform(1, 12), 1),
                    "call_date": datetime.combine(
                        today - timedelta(days=rng.randint(0, 9)), time(10, 30)
                    ),
                }
                if activity:
                    vals["activity_id"] = activity.id
                vals.update(story.call_details(outcome, rng, today))
                if outcome in ("competitor", "not_interested"):
                    vals["lost_reason_id"] = rng.choice(lost).id
                self.env["repeat.sales.call"].with_user(caller).create(vals)

    @api.model
    def _demo_wins(self, seller, today):
        """A customer of the salesperson, called about an offer, orders it today.

        The order wins the offer and the call, keeps the promise and closes the
        customer's open follow-up.
        """
        offers = self.env["repeat.sales.offer"].search(
            [("state", "=", "proposed"), ("user_id", "=", seller.id)],
            order="score desc, id",
        )
        followed = self.env["repeat.sales.followup"].search(
            [("partner_id", "in", offers.partner_id.ids), ("activity_ids", "!=", False)]
        )
        offer = (
            offers.filtered(lambda offer: offer.partner_id in followed.partner_id)
            or offers
        )[:1]
        if not offer:
            return
        self.env["repeat.sales.call"].with_user(seller).create(
            {
                "partner_id": offer.partner_id.id,
                "outcome": "will_order",
                "call_reason_id": self.env.ref(
                    "repeat_sales.call_reason_new_products"
                ).id,
                "promised_date": today + timedelta(days=7),
                "call_date": datetime.combine(today - timedelta(days=2), time(11)),
                "note": "Interested in the suggested product.",
            }
        )
        order = (
            self.env["sale.order"]
            .with_user(seller)
            .create(
                {
                    "partner_id": offer.partner_id.id,
                    "order_line": [
                        Command.create(
                            {"product_id": offer.product_id.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
