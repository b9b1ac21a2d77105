"""Server time of the screens a user waits on, as the web client calls them.

    python3 bench/screens.py DB [--runs 5] [--only WORD] [--slow-ms 1000]

DB is a database built as bench/README.md says (``generate.py``, then
``repeat_sales`` installed). The script drives the ORM in-process (the
registry, as ``odoo shell`` does) as the admin user of the main company and,
per screen, makes the calls Odoo 18's web client makes for that view's
default arch with the action's domain and context (``search_default_*``
filters and group-bys of the search view included):

- list: ``web_search_read`` (limit 80, ``count_limit`` 10001), or
  ``web_read_group`` when grouped;
- pivot: one ``read_group`` (lazy=False) per prefix of the row group-bys ×
  prefix of the column group-bys, with the measures' aggregates and
  ``__count``;
- graph: one ``read_group`` (lazy=False) of its group-bys and measure;
- form: ``web_read`` of the record with the form's specification (x2many
  lists included), or ``onchange`` for a new record (the call dialog);
- the dashboard: its four graphs; order confirmation: ``action_confirm``
  and the work the addon does at commit (pre-commit hooks), in Odoo's test
  mode (its e-mails rendered as HTML, not sent: no wkhtmltopdf or SMTP).

Each run is rolled back. Printed per screen: the calls, the rows they
returned (groups or records) and the records behind them, median and max
milliseconds over ``--runs`` runs. For a screen whose median is over
``--slow-ms``, its slowest SQL statements are printed with
``EXPLAIN (ANALYZE, BUFFERS)``.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

LIST_LIMIT = 80


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="screens whose name contains this word")
    parser.add_argument("--slow-ms", type=float, default=1000.0)
    parser.add_argument("--explain-top", type=int, default=2)
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="first time the nightly reports step: in full (committed), then a "
        "night after 1%% of the customers ordered (rolled back)",
    )
    return parser.parse_args()


class SqlLog:
    """Times every statement of the Odoo cursors while ``on``."""

    def __init__(self):
        self.on = False
        self.entries = []

    def install(self):
        from odoo import sql_db

        original = sql_db.Cursor.execute
        log = self

        def execute(cursor, query, params=None, log_exceptions=True):
            if not log.on:
                return original(cursor, query, params, log_exceptions)
            start = time.perf_counter()
            try:
                return original(cursor, query, params, log_exceptions)
            finally:
                log.entries.append((time.perf_counter() - start, query, params))

        sql_db.Cursor.execute = execute


SQL_LOG = SqlLog()


# ----------------------------------------------------------------------
# What the web client asks for each view
# ----------------------------------------------------------------------


def _eval(text, env):
    """A domain or context of the views, evaluated as the web client does."""
    import datetime

    from odoo.tools.safe_eval import datetime as safe_datetime
    from odoo.tools.safe_eval import dateutil, safe_eval

    if not text:
        return {}
    return safe_eval(
        text,
        {
            "uid": env.uid,
            "context_today": datetime.date.today,
            "datetime": safe_datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "active_id": False,
            "allowed_company_ids": env.context.get("allowed_company_ids", []),
        },
    )


def _field_spec(Model, fname, node=None):
    field = Model._fields.get(fname)
    if field is None:
        return None
    if field.type == "many2one":
        return {"fields": {"display_name": {}}}
    if field.type in ("one2many", "many2many"):
        sub = node.find(".//list") if node is not None else None
        if sub is None or field.comodel_name not in Model.env:
            return {"fields": {"display_name": {}}} if field.type == "many2many" else {}
        Comodel = Model.env[field.comodel_name]
        fields = {}
        for child in sub.iter("field"):
            spec = _field_spec(Comodel, child.get("name"))
            if spec is not None:
                fields[child.get("name")] = spec
        return {"fields": fields, "limit": 40, "order": ""}
    return {}


def _arch_fields(Model, arch):
    """The fields of a list or form arch, not those of its x2many sub-views."""
    spec = {}
    nested = {"list", "form", "kanban", "tree", "graph", "pivot"}

    def walk(node, depth):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "field":
                name = child.get("name")
                value = _field_spec(Model, name, child)
                if value is not None and name not in spec:
                    spec[name] = value
                continue
            if child.tag in nested and depth > 0:
                continue
            walk(child, depth + 1)

    walk(arch, 0)
    return spec


def _search_defaults(Model, search_arch, context, env):
    """(domain, group-bys) of the ``search_default_*`` keys of the context."""
    domain, groupby = [], []
    for node in search_arch.iter("filter"):
        name = node.get("name")
        if not name or not context.get(f"search_default_{name}"):
            continue
        if node.get("domain"):
            domain.append(_eval(node.get("domain"), env))
        group = _eval(node.get("context"), env).get("group_by")
        if group:
            groupby.extend([group] if isinstance(group, str) else group)
    if len(domain) > 1:
        # filters of one group are OR-ed by the client; ours are single ones
        merged = []
        for part in domain:
            merged = ["&", *merged, *part] if merged else list(part)
        domain = [merged]
    return (domain[0] if domain else []), groupby


def _measure_spec(Model, fname):
    field = Model._fields[fname]
    return f"{fname}:{field.aggregator or 'sum'}"


def view_calls(env, model, view_type, domain=(), context=None, res_id=None):
    """The calls (label, callable) the web client makes for this view."""
    from lxml import etree

    context = dict(context or {})
    Model = env[model].with_context(**context)
    views = Model.get_views([(False, view_type), (False, "search")])["views"]
    arch = etree.fromstring(views[view_type]["arch"])
    search_arch = etree.fromstring(views["search"]["arch"])
    default_domain, search_groupby = _search_defaults(Model, search_arch, context, env)
    domain = _and(list(domain), default_domain)
    groupby = list(context.get("group_by") or []) or search_groupby
    calls = []
    if view_type == "list":
        spec = _arch_fields(Model, arch)
        order = arch.get("default_order") or ""
        limit = int(arch.get("limit") or LIST_LIMIT)
        if groupby:
            aggregates = [
                _measure_spec(Model, node.get("name"))
                for node in arch.iter("field")
                if node.get("sum") or node.get("avg")
            ]
            calls.append(
                (
                    f"web_read_group {groupby}",
                    lambda: Model.web_read_group(
                        domain, aggregates, groupby, limit=limit, lazy=True
                    ),
                )
            )
        else:
            calls.append(
                (
                    "web_search_read",
                    lambda: Model.web_search_read(
                        domain, spec, limit=limit, order=order, count_limit=10001
                    ),
                )
            )
    elif view_type in ("pivot", "graph"):
        rows, cols, measures = [], [], []
        for node in arch.iter("field"):
            name = node.get("name")
            gb = f"{name}:{node.get('interval')}" if node.get("interval") else name
            if node.get("type") == "measure":
                measures.append(_measure_spec(Model, name))
            elif node.get("type") == "col":
                cols.append(gb)
            elif node.get("invisible") != "1":
                rows.append(gb)
        if groupby:
            rows = groupby
        if view_type == "graph":
            fields = measures[:1] or ["__count"]
            calls.append(
                (
                    f"read_group {rows}",
                    lambda: Model.read_group(domain, fields, rows, lazy=False),
                )
            )
        else:
            fields = [*measures, "__count"]
            for i in range(len(rows) + 1):
                for j in range(len(cols) + 1):
                    gbs = rows[:i] + cols[:j]
                    calls.append(
                        (
                            f"read_group {gbs}",
                            lambda gbs=gbs: Model.read_group(
                                domain, fields, gbs, lazy=False
                            ),
                        )
                    )
    elif view_type == "form":
        spec = _arch_fields(Model, arch)
        if res_id:
            calls.append(("web_read", lambda: Model.browse(res_id).web_read(spec)))
        else:
            calls.append(("onchange", lambda: Model.onchange({}, [], spec)))
    return calls


def _and(left, right):
    if not left:
        return list(right)
    if not right:
        return list(left)
    return ["&", *left, *right]


def action_calls(env, xmlid, view_type=None, extra_context=None, res_id=None):
    action = env.ref(xmlid)
    context = _eval(action.context, env) if isinstance(action.context, str) else {}
    context.update(extra_context or {})
    domain = _eval(action.domain, env) if action.domain else []
    view_type = view_type or action.view_mode.split(",")[0]
    return view_calls(env, action.res_model, view_type, domain, context, res_id)


def _rows(result):
    """(rows returned, records behind them) of one call's result."""
    if isinstance(result, dict) and "records" in result:
        return len(result["records"]), result.get("length", len(result["records"]))
    if isinstance(result, dict) and "groups" in result:
        behind = sum(
            g.get("__count", g.get(_count_key(g), 0)) for g in result["groups"]
        )
        return len(result["groups"]), behind
    if isinstance(result, list):
        behind = sum(g.get("__count", 0) or 0 for g in result if isinstance(g, dict))
        return len(result), behind
    return 1, 1


def _count_key(group):
    return next((key for key in group if key.endswith("_count")), "__count")


# ----------------------------------------------------------------------
# Screens
# ----------------------------------------------------------------------


def screens(env):
    """[(name, builder)], a builder returning the calls of one run."""
    Partner = env["res.partner"]
    stat = env["repeat.sales.partner.stat"].search(
        [("order_count", ">", 3)], order="order_count desc", limit=1
    )
    customer = stat.partner_id
    customers_action = "account.res_partner_action_customer"
    result = []
    for segment in ("hot", "warm", "sleeping", "overdue", "never"):
        result.append(
            (
                f"customers: filter {segment}",
                lambda s=segment: action_calls(
                    env,
                    customers_action,
                    "list",
                    {"search_default_customer": 0, f"search_default_repeat_{s}": 1},
                ),
            )
        )
    for fname in (
        "repeat_segment",
        "repeat_last_order_date",
        "repeat_order_count",
        "repeat_revenue",
        "repeat_expected_order_date",
    ):
        result.append(
            (
                f"customers: sorted by {fname}",
                lambda f=fname: [
                    (
                        f"web_search_read order {f} desc",
                        lambda: Partner.web_search_read(
                            [],
                            {"display_name": {}, "repeat_segment": {}, f: {}},
                            limit=LIST_LIMIT,
                            order=f"{f} desc",
                            count_limit=10001,
                        ),
                    )
                ],
            )
        )
    result.append(
        (
            "customers: grouped by segment",
            lambda: action_calls(
                env,
                customers_action,
                "list",
                {"search_default_customer": 0, "group_by": ["repeat_segment"]},
            ),
        )
    )
    result.append(
        (
            "customer recency (list)",
            lambda: action_calls(env, "repeat_sales.repeat_sales_partner_stat_action"),
        )
    )
    result.append(
        (
            "customer recency: grouped by segment",
            lambda: action_calls(
                env,
                "repeat_sales.repeat_sales_partner_stat_action",
                "list",
                {"group_by": ["segment"]},
            ),
        )
    )
    panels = [
        "repeat_sales.repeat_sales_segment_snapshot_action",
        "repeat_sales.repeat_sales_order_report_action",
        "repeat_sales.repeat_sales_reactivation_report_action",
        "repeat_sales.repeat_sales_sleeping_cost_report_action",
    ]

    def dashboard():
        calls = []
        for xmlid in panels:
            model = env.ref(xmlid).res_model
            calls += view_calls(env, model, "graph")
        return calls

    result.append(("dashboard (four graphs)", dashboard))
    menu = env.ref("repeat_sales.repeat_sales_report_menu")
    for item in env["ir.ui.menu"].search(
        [("id", "child_of", menu.id), ("action", "!=", False)], order="sequence, id"
    ):
        action = item.action
        if action._name != "ir.actions.act_window":
            continue
        xmlid = action.get_external_id()[action.id]
        result.append((f"report: {item.name}", lambda x=xmlid: action_calls(env, x)))
    result.append(
        (
            "customer form",
            lambda: view_calls(env, "res.partner", "form", res_id=customer.id),
        )
    )
    quotation = env["sale.order"].search(
        [("state", "=", "draft"), ("partner_id", "=", customer.id)], limit=1
    ) or _quotation(env, customer)
    result.append(
        (
            "quotation form (with its offers)",
            lambda: view_calls(env, "sale.order", "form", res_id=quotation.id),
        )
    )

    def call_dialog():
        action = customer.action_repeat_sales_log_call()
        return view_calls(
            env, action["res_model"], "form", context=action.get("context") or {}
        )

    result.append(("call dialog (Log a Call)", call_dialog))
    result.append(
        (
            "My Follow-ups",
            lambda: action_calls(env, "repeat_sales.repeat_sales_my_followups_action"),
        )
    )

    def confirmation():
        order = _quotation(env, customer)
        return [
            ("action_confirm", order.action_confirm),
            ("pre-commit (figures, stamps…)", env.cr.precommit.run),
        ]

    result.append(("order confirmation", confirmation))
    return result


def _quotation(env, customer):
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1)
    if not product:
        product = env["product.product"].create({"name": "Bench Screen Product"})
    return env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [(0, 0, {"product_id": product.id, "price_unit": 100.0})],
        }
    )


# ----------------------------------------------------------------------
# Running
# ----------------------------------------------------------------------


def run_screen(reg, name, builder, runs):
    import odoo

    times, calls_made, rows_out, behind = [], 0, 0, 0
    slowest = []
    for run in range(runs):
        with reg.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env = _user_env(env)
            calls = builder_with_env(builder, env)
            env.flush_all()
            env.invalidate_all()
            SQL_LOG.entries = []
            SQL_LOG.on = True
            start = benchlib.clock()
            results = [call() for _label, call in calls]
            env.flush_all()
            elapsed = benchlib.clock() - start
            SQL_LOG.on = False
            times.append(elapsed)
            if run == 0:
                calls_made = len(calls)
                counted = [_rows(result) for result in results]
                rows_out = sum(out for out, _behind in counted)
                behind = max((b for _out, b in counted), default=0)
                labels = [label for label, _call in calls]
            slowest = sorted(SQL_LOG.entries, key=lambda e: -e[0])[:5]
            cr.rollback()
    return {
        "name": name,
        "calls": calls_made,
        "labels": labels,
        "rows": rows_out,
        "behind": behind,
        "median": benchlib.median(times) * 1000,
        "max": max(times) * 1000,
        "slowest": slowest,
    }


def _user_env(env):
    admin = env.ref("base.user_admin")
    company = admin.company_id
    return env(
        user=admin.id,
        context={
            "lang": "en_US",
            "tz": "UTC",
            "uid": admin.id,
            "allowed_company_ids": [company.id],
        },
    )


def builder_with_env(builder, env):
    return builder(env) if builder.__code__.co_argcount else builder()


def explain(reg, entries, top):
    lines = []
    with reg.cursor() as cr:
        for seconds, query, params in entries[:top]:
            text = query.code if hasattr(query, "code") else query
            args = query.params if hasattr(query, "code") else params
            lines.append(f"    -- {seconds * 1000:.0f} ms: {text.strip()[:2000]}")
            try:
                cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, args)
                lines += ["      " + row[0] for row in cr.fetchall()]
            except Exception as error:  # noqa: BLE001 (a bench: print and go on)
                lines.append(f"      (no plan: {error})")
                cr.rollback()
        cr.rollback()
    return lines


def time_refresh(reg):
    """The nightly ``reports`` step in full, then on a night after 1% of the
    customers got a new order (in SQL, written now), rolled back."""
    from run import insert_new_orders

    import odoo

    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        tables = env["repeat.sales.report.tables"]
        start = benchlib.clock()
        tables._cron_refresh(full=True)
        cr.commit()
        full = benchlib.clock() - start
        customers, inserted = insert_new_orders(cr, env, 0.01, 1)
        start = benchlib.clock()
        tables._cron_refresh()
        night = benchlib.clock() - start
        cr.rollback()
    print(
        f"reports step: {full:.1f} s in full (every order), {night:.2f} s on a "
        f"night after {inserted:,} of {customers:,} customers ordered "
        f"(ratio {night / full:.3f})"
    )


def main():
    args = parse_args()
    reg = benchlib.registry(args.db)
    SQL_LOG.install()
    import odoo

    # Odoo's test mode: a confirmation's e-mails (the loyalty card's) are
    # rendered as HTML and not sent: no wkhtmltopdf or SMTP server here.
    odoo.tools.config["test_enable"] = True

    with reg.cursor() as cr:
        env = _user_env(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
        print(
            f"== bench/screens.py on {args.db} ({time.strftime('%Y-%m-%d %H:%M')}) =="
        )
        for line in benchlib.machine_facts(cr):
            print(line)
        cr.execute(
            "SELECT (SELECT COUNT(*) FROM repeat_sales_partner_stat),"
            " (SELECT COUNT(*) FROM sale_order WHERE state = 'sale')"
        )
        stats, orders = cr.fetchone()
        print(
            f"data: {stats:,} figure rows (customer, company), "
            f"{orders:,} confirmed orders"
        )
        print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        named = screens(env)
        cr.rollback()
    if args.refresh:
        time_refresh(reg)
    selected = [
        (name, index)
        for index, (name, _builder) in enumerate(named)
        if not args.only or args.only.lower() in name.lower()
    ]
    results = []
    print()
    print("| screen | calls | rows returned | records behind | median ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name, index in selected:

        def builder(env, index=index):
            return screens(env)[index][1]()

        try:
            result = run_screen(reg, name, builder, args.runs)
        except Exception as error:  # noqa: BLE001
            print(f"| {name} | failed: {error!r} | | | | |")
            continue
        results.append(result)
        print(
            f"| {name} | {result['calls']} | {result['rows']:,} | {result['behind']:,} "
            f"| {result['median']:,.0f} | {result['max']:,.0f} |",
            flush=True,
        )
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print()
    for result in results:
        print(f"{result['name']}: {'; '.join(result['labels'])}")
    for result in results:
        if result["median"] > args.slow_ms:
            print(f"\n## {result['name']}: {result['median']:,.0f} ms, slowest SQL")
            print("\n".join(explain(reg, result["slowest"], args.explain_top)))


if __name__ == "__main__":
    main()
