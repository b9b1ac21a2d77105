# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Repeat Sales",
    "summary": "Turn existing customers into repeat revenue: recency segments, "
    "purchase figures, a follow-up plan and reactivation calls",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "repeat_sales contributors",
    "website": "https://github.com/repeat-sales/repeat_sales",
    "development_status": "Alpha",
    "maintainers": ["repeat-sales"],
    "depends": ["sale_management", "mail"],
    "data": [
        "security/repeat_sales_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/repeat_sales_followup_step_data.xml",
        "data/repeat_sales_call_data.xml",
        "views/repeat_sales_partner_stat_views.xml",
        "views/repeat_sales_followup_step_views.xml",
        "views/repeat_sales_followup_views.xml",
        "views/repeat_sales_call_views.xml",
        "views/repeat_sales_segment_snapshot_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/repeat_sales_menus.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/sale_order_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "repeat_sales/static/src/**/*",
        ],
        "web.assets_tests": [
            "repeat_sales/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
