"""Print the lines of Odoo's requirements.txt that install from wheels on this Python.

Odoo 18.0 pins, for Python 3.11, several sdists that no longer build with a current
toolchain; its pins for Python 3.12 are the same libraries as wheels that run on 3.11.
So the markers are evaluated as if this were Python 3.12 whenever it is older.

Usage: python tools/odoo_requirements.py ODOO_SRC/requirements.txt > reqs.txt
"""

import sys

from packaging.requirements import Requirement

# Needs libldap headers to build; it serves only auth_ldap, which repeat_sales
# does not use.
SKIPPED = {"python-ldap"}


def marker_environment():
    major, minor = sys.version_info[:2]
    if (major, minor) < (3, 12):
        return {"python_version": "3.12", "python_full_version": "3.12.0"}
    return {}


def wheel_requirements(lines):
    environment = marker_environment()
    for raw in lines:
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.name.lower() in SKIPPED:
            continue
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        requirement.marker = None
        yield str(requirement)


def main(path):
    with open(path, encoding="utf-8") as handle:
        for requirement in wheel_requirements(handle):
            print(requirement)


if __name__ == "__main__":
    main(sys.argv[1])
