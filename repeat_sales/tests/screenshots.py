# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a browser tour logs for its test: screenshots and the screens' figures."""

import base64
import pathlib
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

# README's screenshots, saved by the tours when the repository is there.
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOT = "repeat_sales_screenshot:"
SCREEN = "repeat_sales_screen:"


class TourLogMixin:
    """For an HttpCase: save a screenshot when the tour logs ``SCREENSHOT`` and
    a name, and note in ``self.screens`` what it logs after ``SCREEN``."""

    def _logging_tour(self):
        original = ChromeBrowser._handle_console
        test = self
        test.screenshots = []
        test.screens = []

        def handle(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002
            text = " ".join(str(arg.get("value", "")) for arg in args or [])
            if text.startswith(SCREENSHOT) and SCREENSHOTS.parent.is_dir():
                name = text[len(SCREENSHOT) :]
                future = browser._websocket_send(
                    "Page.captureScreenshot", with_future=True
                )
                future.add_done_callback(lambda done: test._write(name, done))
                return None
            if text.startswith(SCREEN):
                test.screens.append(text[len(SCREEN) :])
            return original(browser, type, args=args, stackTrace=stackTrace, **kw)

        return patch.object(ChromeBrowser, "_handle_console", handle)

    def _write_screens(self, tour):
        """What each screen of ``tour`` showed, beside the screenshots."""
        if SCREENSHOTS.parent.is_dir():
            SCREENSHOTS.mkdir(exist_ok=True)
            lines = [screen.replace("|", ": ", 1) for screen in self.screens]
            (SCREENSHOTS / f"{tour}.txt").write_text("\n".join([*lines, ""]))

    def _write(self, name, done):
        data = done.result().get("data")
        if data:
            SCREENSHOTS.mkdir(exist_ok=True)
            (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(data))
            self.screenshots.append(name)
