import { registry } from "@web/core/registry";
import { demoData, screenshot, showsRecords } from "./repeat_sales_demo_tours_common";

/** Open a report of the Repeat Sales menu and check that it shows records. */
function openReport({ xmlid, title, shot }) {
    return [
        {
            content: `Open the Repeat Sales menu for ${title}`,
            trigger: ".o_menu_sections button:contains('Repeat Sales')",
            run: "click",
        },
        {
            content: `Open ${title}`,
            trigger: `.dropdown-menu .dropdown-item[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
        showsRecords(title, xmlid),
        ...(shot ? [screenshot(shot)] : []),
    ];
}

// The manager's round on the demo database: the dashboard, then every report
// of the Repeat Sales menu (the test lists them, in the menu's order).
registry.category("web_tour.tours").add("repeat_sales_demo_manager", {
    steps: () => [
        {
            content: "The dashboard draws its four charts",
            trigger:
                "body:not(:has(.o_error_dialog)) .o_repeat_sales_panel_segments .o_graph_renderer canvas",
        },
        {
            trigger: ".o_repeat_sales_panel_revenue .o_graph_renderer canvas",
        },
        {
            trigger: ".o_repeat_sales_panel_funnel .o_graph_renderer canvas",
        },
        {
            trigger: ".o_repeat_sales_panel_cost .o_graph_renderer canvas",
            run: () => console.info("repeat_sales_screen:dashboard|4 charts"),
        },
        screenshot("manager_1_dashboard"),
        ...(demoData().reports || []).flatMap(openReport),
    ],
});
