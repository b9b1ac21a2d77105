/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { View } from "@web/views/view";

/**
 * The manager's page: the main repeat-sales graphs side by side, each one
 * opening its full report.
 */
export class RepeatSalesDashboard extends Component {
    static template = "repeat_sales.Dashboard";
    static components = { View };
    static props = ["*"];

    setup() {
        this.action = useService("action");
        this.panels = [
            {
                key: "segments",
                title: _t("Customers per Segment over Time"),
                resModel: "repeat.sales.segment.snapshot",
                actionXmlId: "repeat_sales.repeat_sales_segment_snapshot_action",
            },
            {
                key: "revenue",
                title: _t("First and Repeat Revenue"),
                resModel: "repeat.sales.order.report",
                actionXmlId: "repeat_sales.repeat_sales_order_report_action",
            },
            {
                key: "funnel",
                title: _t("Orders after Reactivation, per Salesperson"),
                resModel: "repeat.sales.reactivation.report",
                actionXmlId: "repeat_sales.repeat_sales_reactivation_report_action",
            },
            {
                key: "cost",
                title: _t("Revenue at Stake with Sleeping Customers"),
                resModel: "repeat.sales.sleeping.cost.report",
                actionXmlId: "repeat_sales.repeat_sales_sleeping_cost_report_action",
            },
        ];
    }

    viewProps(panel) {
        return {
            resModel: panel.resModel,
            type: "graph",
            display: { controlPanel: false },
            views: [
                [false, "graph"],
                [false, "search"],
            ],
            context: {},
            domain: [],
        };
    }

    openReport(panel) {
        this.action.doAction(panel.actionXmlId);
    }
}

registry.category("actions").add("repeat_sales.dashboard", RepeatSalesDashboard);
