"""Check XML files: well-formed, and no view syntax Odoo 18 dropped.

Usage: python tools/check_xml.py FILE...   (exit status 1 on findings)
"""

import re
import sys

from lxml import etree

OUTDATED = (
    (re.compile(r"<tree[\s>]"), "<tree> is <list> since Odoo 18"),
    (re.compile(r"\sattrs="), "attrs= is gone since Odoo 17: use invisible=/readonly="),
    (re.compile(r"\sstates="), "states= is gone since Odoo 17"),
)


def main(paths):
    findings = []
    for path in paths:
        try:
            etree.parse(path)
        except etree.XMLSyntaxError as error:
            findings.append(f"{path}: {error}")
            continue
        text = open(path, encoding="utf-8").read()
        for pattern, message in OUTDATED:
            if pattern.search(text):
                findings.append(f"{path}: {message}")
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
