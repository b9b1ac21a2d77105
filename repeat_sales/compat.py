# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The differences between Odoo 18.0 and 19.0 that the addon meets, in one place.

The addon runs on both series from the same tree: the models call these helpers
instead of the API that changed (or that 19.0 deprecates), and each helper picks
the series' way. Nothing else in the addon asks which series runs.
"""

from odoo import models, release
from odoo.sql_db import db_connect
from odoo.tools import sql

SERIES = release.version_info[0]  # 18 or 19

if SERIES >= 19:
    from odoo.fields import Domain
else:
    from odoo.osv import expression


def domain_or(domains):
    """The union of domains, as a list domain; FALSE for no domain."""
    if SERIES >= 19:
        return list(Domain.OR(domains))
    return expression.OR(domains) if domains else expression.FALSE_DOMAIN


def domain_and(domains):
    """The intersection of domains, as a list domain."""
    if SERIES >= 19:
        return list(Domain.AND(domains))
    return expression.AND(domains)


# 19.0 fills a grouping's values (group_expand) only where the web client asks
# for it (kanban columns), so a list's groups come in the database's order.
LIST_GROUPS_EXPANDED = SERIES < 19


def sql_constraints(cls):
    """Class decorator: declare a model's ``_sql_constraints`` on both series.

    18.0 reads the ``_sql_constraints`` list; 19.0 ignores it (with a warning) and
    wants one ``models.Constraint`` attribute per constraint, named ``_<name>``,
    which keeps the constraint's name in the database.
    """
    if SERIES >= 19 and "_sql_constraints" in vars(cls):
        for name, definition, message in cls._sql_constraints:
            constraint = models.Constraint(definition, message)
            setattr(cls, f"_{name}", constraint)
            constraint.__set_name__(cls, f"_{name}")
        del cls._sql_constraints
    return cls


def create_unique_index(cr, indexname, tablename, expressions):
    """Create a unique index unless it exists (19.0 deprecates the 18.0 helper)."""
    if SERIES >= 19:
        return sql.create_index(cr, indexname, tablename, expressions, unique=True)
    return sql.create_unique_index(cr, indexname, tablename, expressions)


def cron_progress(env, done, remaining):
    """Tell the running scheduled action how much of its work is done and left.

    18.0's ``ir.cron._notify_progress`` is deprecated in 19.0, whose replacement,
    ``_commit_progress``, also commits; the addon commits where it chooses, so on
    19.0 the progress record is written the way ``_notify_progress`` does.
    """
    if SERIES < 19:
        env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return
    progress_id = env.context.get("ir_cron_progress_id")
    if progress_id:
        # sudo: the progress record belongs to the cron machinery, not to the user.
        env["ir.cron.progress"].sudo().browse(progress_id).write(
            {"done": done, "remaining": remaining, "deactivate": False}
        )


# Records of Odoo's data that 19.0 renamed or dropped (the demo generator's).

# The square metre: ``uom.uom_square_meter`` on 18.0.
UOM_SQUARE_METER = (
    "uom.product_uom_square_meter" if SERIES >= 19 else "uom.uom_square_meter"
)


def root_product_category(env):
    """The category new product categories go under: "All" on 18.0; 19.0 has
    no root category (its categories have no parent)."""
    if SERIES >= 19:
        return env["product.category"]
    return env.ref("product.product_category_all")


# What the tests meet -------------------------------------------------------

# The groups of a user: ``groups_id`` on 18.0, ``group_ids`` on 19.0.
USER_GROUPS = "group_ids" if SERIES >= 19 else "groups_id"


def addons_path(config):
    """The configured addons path as ``--addons-path`` takes it (19.0 keeps a list)."""
    path = config["addons_path"]
    return path if isinstance(path, str) else ",".join(path)


def formatted_read_group(model, domain, groupby, aggregates):
    """Grouped rows as the web client reads them: ``__count``, the ``groupby``
    values and each aggregate under its spec (``"amount:sum"``).

    19.0 deprecates ``read_group`` for ``formatted_read_group``.
    """
    if SERIES >= 19:
        return model.formatted_read_group(domain, groupby, [*aggregates, "__count"])
    rows = model.read_group(domain, list(aggregates), groupby, lazy=False)
    for row in rows:
        for spec in aggregates:
            row[spec] = row[spec.split(":")[0]]
    return rows


def process_cron_job(registry, cron_cr, job):
    """Run a job acquired with ``ir.cron._acquire_one_job`` as a cron worker does."""
    if SERIES >= 19:
        registry["ir.cron"]._process_job(cron_cr, job)
    else:
        registry["ir.cron"]._process_job(db_connect(cron_cr.dbname), cron_cr, job)
