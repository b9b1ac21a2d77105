# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
import re
from collections import Counter

import polib

from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "repeat_sales"
LANGUAGES = ("ru", "bg", "hu")

# %(name)s and %s style placeholders (a literal "%%" is not one).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?s")


def _placeholders(text):
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def _listing(terms):
    return "\n".join(f"  - {term!r}" for term in sorted(terms))


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The .pot covers every term of the addon and each .po translates it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.i18n_dir = os.path.join(get_module_path(MODULE), "i18n")
        cls.pot = polib.pofile(os.path.join(cls.i18n_dir, f"{MODULE}.pot"))
        cls.pot_msgids = {entry.msgid for entry in cls.pot if not entry.obsolete}

    def _po(self, lang):
        path = os.path.join(self.i18n_dir, f"{lang}.po")
        self.assertTrue(os.path.isfile(path), f"{path} is missing")
        return polib.pofile(path)

    def test_every_pot_term_translated(self):
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                po = self._po(lang)
                translated = {
                    entry.msgid
                    for entry in po
                    if not entry.obsolete
                    and "fuzzy" not in entry.flags
                    and entry.msgstr.strip()
                }
                missing = self.pot_msgids - translated
                if missing:
                    self.fail(
                        f"{lang}.po: {len(missing)} term(s) of {MODULE}.pot have "
                        f"no non-empty, non-fuzzy translation:\n{_listing(missing)}"
                    )

    def test_placeholders_kept(self):
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                wrong = []
                for entry in self._po(lang):
                    if entry.obsolete or not entry.msgstr:
                        continue
                    expected = _placeholders(entry.msgid)
                    found = _placeholders(entry.msgstr)
                    if expected != found:
                        wrong.append(
                            f"  - {entry.msgid!r}: expected "
                            f"{sorted(expected.elements())}, got "
                            f"{sorted(found.elements())}"
                        )
                if wrong:
                    self.fail(
                        f"{lang}.po: {len(wrong)} translation(s) drop or add a "
                        "placeholder:\n" + "\n".join(wrong)
                    )

    def test_pot_up_to_date(self):
        reader = TranslationModuleReader(self.env.cr, [MODULE])
        terms = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == MODULE
        }
        self.assertTrue(terms, f"the exporter found no term of {MODULE}")
        missing = terms - self.pot_msgids
        if missing:
            self.fail(
                f"{MODULE}.pot is out of date: {len(missing)} term(s) the addon "
                f"shows are not in it (re-export it, see i18n/README):\n"
                f"{_listing(missing)}"
            )
