import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("repeat_sales_dashboard", {
    steps: () => [
        {
            content: "The segments graph is drawn",
            trigger: ".o_repeat_sales_panel_segments .o_graph_renderer canvas",
        },
        {
            content: "The repeat revenue graph is drawn",
            trigger: ".o_repeat_sales_panel_revenue .o_graph_renderer canvas",
        },
        {
            content: "The funnel graph is drawn",
            trigger: ".o_repeat_sales_panel_funnel .o_graph_renderer canvas",
        },
        {
            content: "The cost of sleeping customers is drawn",
            trigger: ".o_repeat_sales_panel_cost .o_graph_renderer canvas",
        },
        {
            content: "Open the full funnel report",
            trigger: ".o_repeat_sales_panel_funnel button:contains('Open report')",
            run: "click",
        },
        {
            content: "The funnel opens as a pivot table",
            trigger: ".o_pivot:contains('Ordered within 30 Days')",
        },
    ],
});
