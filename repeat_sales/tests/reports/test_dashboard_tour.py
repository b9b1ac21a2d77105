# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..common import TourCase


@tagged("post_install", "-at_install")
class TestDashboardTour(TourCase):
    # The screen the issue measured the cropped charts on.
    browser_size = "1280,800"

    def test_dashboard_shows_the_main_graphs(self):
        action = self.env.ref("repeat_sales.repeat_sales_dashboard_action")
        self.start_tour(
            f"/odoo/action-{action.id}", "repeat_sales_dashboard", login="admin"
        )
