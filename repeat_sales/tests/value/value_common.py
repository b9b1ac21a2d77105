# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import gzip
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

from odoo.fields import Command

from ..common import RepeatSalesCommon

# The CDNOW sample of Fader & Hardie (2,357 customers of the first quarter of
# 1997, purchases to June 1998), as shipped by the lifetimes package: master
# id, customer id, date, CDs bought, dollar value. The published fits use the
# purchases up to 1997-09-30.
CDNOW_FILE = Path(__file__).parent / "data" / "CDNOW_sample.txt.gz"
CDNOW_END = date(1997, 9, 30)


def cdnow_purchases(end=CDNOW_END):
    """{customer id: [(day, value)]} of the purchases up to ``end``, as in
    the file (some customers bought more than once on a day)."""
    purchases = defaultdict(list)
    with gzip.open(CDNOW_FILE, "rt") as lines:
        for line in lines:
            _master, customer, day, _cds, value = line.split()
            day = date(int(day[:4]), int(day[4:6]), int(day[6:]))
            if day <= end:
                purchases[int(customer)].append((day, float(value)))
    return purchases


class ValueCommon(RepeatSalesCommon):
    @classmethod
    def _load_orders(cls, orders, company=None):
        """Confirmed orders, in batches: ``orders`` is a list of (partner,
        day, amount). Returns the orders."""
        company = company or cls.env.company
        # no chatter: thousands of order messages and trackings are not the
        # point here, the confirmed orders are
        SaleOrder = (
            cls.env["sale.order"]
            .with_company(company)
            .with_context(tracking_disable=True, mail_create_nolog=True)
        )
        created = SaleOrder.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
                for partner, _day, amount in orders
            ]
        )
        created.action_confirm()
        by_day = defaultdict(lambda: SaleOrder.browse())
        for order, (_partner, day, _amount) in zip(created, orders, strict=True):
            by_day[day] |= order
        for day, day_orders in by_day.items():
            day_orders.date_order = datetime.combine(day, time(10, 0))
        # what a commit runs: the engine's figures of these customers
        cls.env.cr.flush()
        return created

    @classmethod
    def _load_cdnow(cls, company=None, customers=None, value=None, end=CDNOW_END):
        """The CDNOW purchases up to ``end`` as partners and confirmed orders,
        ``end`` (1997-09-30 by default) moved to yesterday. ``customers`` keeps
        the first ones only; ``value`` replaces every amount. Returns
        {customer id: partner}."""
        purchases = cdnow_purchases(end)
        ids = sorted(purchases)[:customers]
        partners = cls.env["res.partner"].create(
            [{"name": f"CDNOW {customer}", "is_company": True} for customer in ids]
        )
        shift = cls.today - timedelta(days=1) - end
        orders = [
            (partner, day + shift, amount if value is None else value)
            for customer, partner in zip(ids, partners, strict=True)
            for day, amount in purchases[customer]
        ]
        cls._load_orders(orders, company)
        return dict(zip(ids, partners, strict=True))
