# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

import numpy as np
from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..common import RepeatSalesCommon

# name: (days since the only order, P(alive), value next 12 months); None:
# no prediction (a customer the last fit has not seen).
CUSTOMERS = {
    "Alive and valuable": (60, 0.9, 500.0),
    "Leaving and valuable": (60, 0.3, 800.0),
    "Alive and small": (60, 0.7, 50.0),
    "Leaving and small": (60, 0.1, 20.0),
    "Not predicted": (60, None, None),
    "Sleeping alive valuable": (200, 0.8, 300.0),
    "Sleeping leaving valuable": (200, 0.2, 900.0),
    "Sleeping alive small": (200, 0.6, 40.0),
    "Sleeping not predicted": (200, None, None),
}
# The value model's figures as list columns: empty for a customer not scored.
VALUE_CELLS = {
    "p_alive",
    "expected_orders_30d",
    "expected_orders_90d",
    "expected_orders_365d",
    "expected_order_value",
    "clv_12m",
    "repeat_p_alive",
    "repeat_clv_12m",
}


@tagged("post_install", "-at_install")
class TestValueSelection(RepeatSalesCommon):
    """Customers selected by the value model's figures: plan steps, campaigns
    and My Follow-ups select exactly the customers whose figures pass."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_value_seller", "sales_team.group_sale_salesman")
        cls.company.repeat_followup_user_id = cls.seller
        cls.company.repeat_followup_catch_up_days = 14
        cls.customers = {}
        for name, (days_ago, _alive, _value) in CUSTOMERS.items():
            partner = cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "email": f"{name.lower().replace(' ', '.')}@example.com",
                    "user_id": cls.seller.id,
                }
            )
            cls._order(partner, days_ago, 100.0)
            cls.customers[name] = partner
        cls.env.cr.flush()
        # The figures as the value model's nightly fit writes them.
        predicted = {n: f for n, f in CUSTOMERS.items() if f[1] is not None}
        alive = np.array([f[1] for f in predicted.values()])
        value = np.array([f[2] for f in predicted.values()])
        zeros = np.zeros(len(predicted))
        cls.env["repeat.sales.partner.stat"]._store_value_figures(
            cls.company,
            np.array([cls.customers[name].id for name in predicted]),
            [alive, zeros, zeros, zeros, zeros + 100.0, value, alive < 0.5],
        )
        cls.env.invalidate_all()
        cls.call_60 = cls.env.ref("repeat_sales.followup_step_call_60")

    def _names(self, partners):
        return {partner.name for partner in partners}

    def _selected(self, days, alive=None, value=None):
        """The names of CUSTOMERS ``days`` after their order with a P(alive)
        in [alive[0], alive[1]] and a value of at least ``value``."""
        low, high = alive or (0, 1)
        return {
            name
            for name, (days_ago, p_alive, clv) in CUSTOMERS.items()
            if days_ago == days
            and (p_alive is not None or (alive is None and value is None))
            and (alive is None or low <= p_alive <= high)
            and (value is None or clv >= value)
        }

    def _run_plan(self):
        Followup = self.env["repeat.sales.followup"]
        self.env.cr.flush()
        while Followup._run_plan_batch(self.today):
            pass
        return Followup.search([("step_id", "=", self.call_60.id)]).partner_id

    def test_plan_step_without_limits_reaches_every_customer(self):
        reached = self._run_plan()
        self.assertEqual(self._names(reached), self._selected(60))
        self.assertEqual(len(reached), 5)

    def test_plan_step_for_customers_alive_and_valuable(self):
        self.call_60.write({"min_p_alive": 0.5, "min_clv_12m": 100.0})
        reached = self._run_plan()
        self.assertEqual(self._names(reached), {"Alive and valuable"})
        self.assertEqual(
            self._names(reached), self._selected(60, alive=(0.5, 1), value=100.0)
        )

    def test_plan_step_for_customers_probably_leaving(self):
        self.call_60.write({"max_p_alive": 0.5})
        reached = self._run_plan()
        self.assertEqual(
            self._names(reached), {"Leaving and valuable", "Leaving and small"}
        )
        # a customer left out by a limit gets no earlier step late instead
        followups = self.env["repeat.sales.followup"].search(
            [("partner_id", "in", self.customers["Alive and valuable"].ids)]
        )
        self.assertFalse(followups)

    def test_plan_step_limits_are_checked(self):
        for values in (
            {"min_p_alive": 0.8, "max_p_alive": 0.5},
            {"max_p_alive": 1.5},
            {"min_p_alive": -0.1},
            {"min_clv_12m": -1.0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.call_60.write(values)

    def _campaign(self, **values):
        template = self.env.ref("repeat_sales.mail_template_special_offer")
        return self.env["repeat.sales.campaign"].create(
            {
                "name": "Wake the valuable sleepers",
                "segment": "sleeping",
                "mail_template_id": template.id,
                "seed": 7,
                **values,
            }
        )

    def test_campaign_for_sleeping_customers_likely_alive_and_valuable(self):
        campaign = self._campaign(min_p_alive=0.5, min_clv_12m=100.0)
        campaign.action_start()
        self.assertEqual(
            self._names(campaign.member_ids.partner_id), {"Sleeping alive valuable"}
        )
        with self.assertRaises(UserError):
            campaign.min_p_alive = 0.1

    def test_campaign_limits_and_filter_on_the_customer_figures(self):
        campaign = self._campaign(
            max_p_alive=0.5, partner_domain="[('repeat_clv_12m', '>=', 500)]"
        )
        campaign.action_start()
        self.assertEqual(
            self._names(campaign.member_ids.partner_id), {"Sleeping leaving valuable"}
        )
        everyone = self._campaign(name="Every sleeper")
        everyone.action_start()
        self.assertEqual(
            self._names(everyone.member_ids.partner_id), self._selected(200)
        )

    def test_customers_sorted_and_filtered_by_their_figures(self):
        Partner = self.env["res.partner"]
        ids = [partner.id for partner in self.customers.values()]
        valuable = Partner.search(
            [("id", "in", ids), ("repeat_clv_12m", ">=", 300)],
            order="repeat_clv_12m desc nulls last",
        )
        self.assertEqual(
            valuable.mapped("name"),
            [
                "Sleeping leaving valuable",
                "Leaving and valuable",
                "Alive and valuable",
                "Sleeping alive valuable",
            ],
        )
        unknown = Partner.search([("id", "in", ids), ("repeat_p_alive", "=", False)])
        self.assertEqual(
            self._names(unknown), {"Not predicted", "Sleeping not predicted"}
        )
        self.assertEqual(
            self.customers["Alive and small"].repeat_p_alive, 0.7, "read as shown"
        )

    def test_calls_to_make_sorted_and_filtered_by_the_customer_figures(self):
        """My Follow-ups: the calls of the 60-day step, for the salesperson,
        sortable by value and filtered by P(alive) as its filters do."""
        self._run_plan()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repeat_sales.repeat_sales_my_followups_action"
        )
        domain = ast.literal_eval(action["domain"])
        Activity = self.env["mail.activity"].with_user(self.seller)
        calls = Activity.search(
            [*domain, ("activity_category", "=", "phonecall")],
            order="repeat_clv_12m desc nulls last, id",
        )
        self.assertEqual(
            [call.res_name for call in calls],
            [
                "Leaving and valuable",
                "Alive and valuable",
                "Alive and small",
                "Leaving and small",
                "Not predicted",
            ],
        )
        alive = Activity.search([*domain, ("repeat_p_alive", ">=", 0.5)], order="id")
        self.assertEqual(
            {call.res_name for call in alive}, {"Alive and valuable", "Alive and small"}
        )
        self.assertEqual(
            sorted(alive.mapped("repeat_p_alive")), [0.7, 0.9], "the column shows it"
        )
        # the call dialog shows them beside the customer's other figures
        call = (
            self.env["repeat.sales.call"]
            .with_user(self.seller)
            .new({"partner_id": self.customers["Leaving and valuable"].id})
        )
        self.assertEqual((call.customer_p_alive, call.customer_clv_12m), (0.3, 800.0))

    def test_customers_without_a_prediction_show_empty_cells_not_zero(self):
        """The customer list and My Follow-ups show no 0% for a customer the
        model has not scored: each value cell is hidden on such a row."""
        self._run_plan()
        stats = self.env["repeat.sales.partner.stat"].search(
            [("partner_id", "in", [p.id for p in self.customers.values()])]
        )
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", [p.id for p in self.customers.values()]),
            ]
        )
        lists = [
            (stats, "repeat_sales.repeat_sales_partner_stat_view_list", "p_alive"),
            (
                activities,
                "repeat_sales.repeat_sales_my_followups_view_list",
                "repeat_p_alive",
            ),
        ]
        for records, view, figure in lists:
            arch = records.get_view(self.env.ref(view).id, "list")["arch"]
            cells = [
                node
                for node in etree.fromstring(arch).iter("field")
                if node.get("name") in VALUE_CELLS
            ]
            self.assertTrue(cells, view)
            for record in records:
                name = (
                    record.partner_id.name if figure == "p_alive" else record.res_name
                )
                predicted = CUSTOMERS[name][1] is not None
                for cell in cells:
                    hidden = safe_eval(
                        cell.get("invisible", "False"), {figure: record[figure]}
                    )
                    with self.subTest(view=view, customer=name, cell=cell.get("name")):
                        self.assertEqual(bool(hidden), not predicted)

    def test_customer_groups_show_the_mean_probability_not_a_sum(self):
        """Grouped by segment, the customer list shows the customers' mean
        P(alive) and expected order value (the predicted ones), as the web
        client reads each column with its own aggregate."""
        Stat = self.env["repeat.sales.partner.stat"]
        columns = ("p_alive", "expected_order_value", "clv_12m")
        specs = [f"{name}:{Stat._fields[name].aggregator}" for name in columns]
        rows = Stat._read_group(
            [("partner_id", "in", [p.id for p in self.customers.values()])],
            ["segment"],
            specs,
        )
        shown = {segment: figures for segment, *figures in rows}
        self.assertEqual(set(shown), {"warm", "sleeping"})
        for segment, days in (("warm", 60), ("sleeping", 200)):
            predicted = [f for f in CUSTOMERS.values() if f[0] == days and f[1]]
            p_alive, order_value, clv = shown[segment]
            with self.subTest(segment=segment):
                self.assertAlmostEqual(
                    p_alive, sum(f[1] for f in predicted) / len(predicted)
                )
                self.assertAlmostEqual(order_value, 100.0)
                self.assertAlmostEqual(clv, sum(f[2] for f in predicted))
