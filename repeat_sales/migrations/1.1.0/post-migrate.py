# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Companies created before version 1.1.0 had no call reasons or script."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._repeat_sales_create_defaults()
