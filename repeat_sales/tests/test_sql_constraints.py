# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's SQL constraints exist in the database, on 18.0 and on 19.0.

19.0 ignores a model's ``_sql_constraints`` list (with a warning only) and
wants ``models.Constraint`` attributes, which ``compat.sql_constraints`` makes:
a model that misses the decorator installs on 19.0 without its constraints.
"""

from psycopg2 import IntegrityError

from odoo import models
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

ADDON_MODULES = "odoo.addons.repeat_sales."


def declared_constraints(model):
    """The names of the SQL constraints the addon's classes declare on ``model``."""
    constraint_type = getattr(models, "Constraint", None)  # 19.0 only
    names = set()
    for cls in type(model).__mro__:
        if not cls.__module__.startswith(ADDON_MODULES):
            continue
        attributes = vars(cls)
        declared = attributes.get("_sql_constraints", ())
        names.update(name for name, _definition, _message in declared)
        if constraint_type:
            names.update(
                name.lstrip("_")
                for name, value in attributes.items()
                if isinstance(value, constraint_type)
            )
    return names


@tagged("post_install", "-at_install")
class TestSqlConstraints(TransactionCase):
    def test_every_declared_constraint_is_in_the_database(self):
        every_model = [self.env[model_name] for model_name in self.env.registry]
        expected = {
            f"{model._table}_{name}"
            for model in every_model
            if not model._abstract and model._auto
            for name in declared_constraints(model)
        }
        # The addon declares unique constraints on several of its models.
        self.assertIn("repeat_sales_value_fit_company_uniq", expected)
        self.assertIn("repeat_sales_stamp_line_history_unique", expected)
        self.env.cr.execute(
            SQL(
                "SELECT conname FROM pg_constraint WHERE conname IN %s",
                tuple(expected),
            )
        )
        present = {name for (name,) in self.env.cr.fetchall()}
        self.assertEqual(sorted(expected - present), [])

    def test_a_company_has_one_value_model(self):
        company = self.env.company
        Fit = self.env["repeat.sales.value.fit"]
        if not Fit.search([("company_id", "=", company.id)]):
            Fit.create({"company_id": company.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Fit.create({"company_id": company.id})


@tagged("post_install", "-at_install")
class TestIndexesOfExtendedModels(TransactionCase):
    INDEXES = (
        "loyalty_card_repeat_stamp_uniq",
        "loyalty_card_repeat_followup_id_uniq",
        "sale_order_repeat_sales_write_date_idx",
        "sale_order_date_order_id_idx",
    )

    def test_every_index_of_the_extended_models_is_made_again(self):
        """Models extended by several parts get each part's index and Odoo's
        own when their ``init`` runs (an ``init`` that forgets ``super()``
        drops the others: the stamp card's unique index was never made)."""
        for name in self.INDEXES:
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        for model in ("loyalty.card", "sale.order"):
            self.env[model].init()
        self.env.cr.execute(
            SQL(
                "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                list(self.INDEXES),
            )
        )
        self.assertEqual(
            {name for (name,) in self.env.cr.fetchall()}, set(self.INDEXES)
        )
