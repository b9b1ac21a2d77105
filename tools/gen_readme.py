"""Build the addon's README.rst and static/description/index.html from readme/*.md.

Like OCA's oca-gen-addon-readme, from the same fragments (DESCRIPTION, CONFIGURE,
USAGE, ROADMAP, CONTRIBUTORS), for the simple Markdown they use: paragraphs,
"- " bullet lists (with indented continuation lines), *emphasis*, **strong**
and `code`.

Usage: python tools/gen_readme.py [ADDON_DIR]   (default: repeat_sales)
       python tools/gen_readme.py --check [ADDON_DIR]   exit 1 when out of date
"""

import ast
import pathlib
import re
import sys

from docutils.core import publish_string

SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
)
BADGES = """\
.. |badge1| image:: https://img.shields.io/badge/maturity-{status}-red.png
    :target: https://odoo-community.org/page/development-status
    :alt: {status}
.. |badge2| image:: https://img.shields.io/badge/license-LGPL--3-blue.png
    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html
    :alt: License: LGPL-3

|badge1| |badge2|
"""


def md_to_rst(text):
    text = re.sub(r"(?<![`*])`([^`]+)`(?!`)", r"``\1``", text)
    return text.strip() + "\n"


def title(text, char):
    return f"{text}\n{char * len(text)}\n"


def build(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    name = manifest["name"]
    parts = [
        "=" * len(name) + "\n" + title(name, "="),
        BADGES.format(status=manifest.get("development_status", "Alpha")),
    ]
    for fragment, heading in SECTIONS:
        path = addon / "readme" / fragment
        if not path.exists():
            continue
        if heading:
            parts.append(title(heading, "="))
        parts.append(md_to_rst(path.read_text(encoding="utf-8")))
    parts.append(title("Maintainers", "="))
    parts.append(
        f"This module is maintained by {', '.join(manifest['maintainers'])} "
        f"under the {manifest['license']} license.\n"
    )
    return "\n".join(parts)


def main(argv):
    check = "--check" in argv
    args = [arg for arg in argv if arg != "--check"]
    addon = pathlib.Path(args[0] if args else "repeat_sales")
    rst = build(addon)
    html = publish_string(
        rst,
        writer_name="html5",
        settings_overrides={
            "report_level": 2,
            "halt_level": 2,
            "embed_stylesheet": True,
        },
    ).decode("utf-8")
    targets = {
        addon / "README.rst": rst,
        addon / "static" / "description" / "index.html": html,
    }
    stale = [
        path
        for path, text in targets.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if check:
        for path in stale:
            print(f"{path} is out of date: run python tools/gen_readme.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(targets[path], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
