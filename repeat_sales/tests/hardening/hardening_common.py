# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import timedelta

from ..common import RepeatSalesCommon


class HardeningCommon(RepeatSalesCommon):
    """Two companies; a plain salesperson and a plain sales manager of the first.

    Only Odoo's sales groups: no Contact Creation or other extra rights.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_hard_seller", "sales_team.group_sale_salesman")
        cls.manager = cls._user("rs_hard_manager", "sales_team.group_sale_manager")
        cls.other_company = cls.env["res.company"].create({"name": "Other Shop"})
        cls.customer.user_id = cls.seller
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Other Shop's Customer",
                "is_company": True,
                "company_id": cls.other_company.id,
            }
        )
        cls.reason = cls.env.ref("repeat_sales.call_reason_sale")
        cls.call = cls.env["repeat.sales.call"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.seller.id,
                "outcome": "will_order",
                "call_reason_id": cls.reason.id,
                "promised_date": cls.today + timedelta(days=5),
            }
        )
        cls.offer = cls.env["repeat.sales.offer"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "user_id": cls.seller.id,
                "product_id": cls.product.id,
                "kind": "manual",
                "source_date": cls.today - timedelta(days=20),
                "due_date": cls.today,
                "end_date": cls.today + timedelta(days=30),
            }
        )

    @contextmanager
    def assertRefused(self, exception, message):
        """The block is refused with ``message`` shown, and rolled back.

        Odoo's ``assertRaises`` rolls back to a savepoint; unittest's
        ``assertRaisesRegex`` does not.
        """
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(message, str(caught.exception))
