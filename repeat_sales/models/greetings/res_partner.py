# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part extending the contact: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResPartner(models.Model):
    """The contact's birthday, which Odoo Community does not keep."""

    _inherit = "res.partner"

    birthday = fields.Date(
        help="The customer gets the birthday greeting of each company they buy "
        "from on this day every year.",
    )
