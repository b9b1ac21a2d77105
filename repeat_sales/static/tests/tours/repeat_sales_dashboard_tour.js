import { registry } from "@web/core/registry";

/** A step failing when a panel's chart is wider or taller than its card. */
function fitsItsCard(key) {
    return {
        content: `The ${key} chart fits its card`,
        trigger: `.o_repeat_sales_panel_${key} .o_graph_renderer canvas`,
        run: () => {
            const card = document
                .querySelector(`.o_repeat_sales_panel_${key} .o_repeat_sales_panel_body`)
                .getBoundingClientRect();
            const canvas = document
                .querySelector(`.o_repeat_sales_panel_${key} canvas`)
                .getBoundingClientRect();
            if (
                canvas.width > card.width ||
                canvas.right > card.right + 1 ||
                canvas.bottom > card.bottom + 1
            ) {
                throw new Error(
                    `${key}: chart ${canvas.width}x${canvas.height} in a card ` +
                        `${card.width}x${card.height}`
                );
            }
            console.info(`repeat_sales_dashboard:${key}:${canvas.width}/${card.width}`);
        },
    };
}

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
            content: "Let the charts settle",
            trigger: "body",
            run: () => new Promise((resolve) => setTimeout(resolve, 500)),
        },
        fitsItsCard("segments"),
        fitsItsCard("revenue"),
        fitsItsCard("funnel"),
        fitsItsCard("cost"),
        {
            content: "Each segment is drawn in its badge's colour",
            trigger: ".o_repeat_sales_panel_segments canvas",
            run: () => {
                const canvas = document.querySelector(".o_repeat_sales_panel_segments canvas");
                const chart = window.Chart.getChart(canvas);
                const hot = chart.data.datasets.find((dataset) => dataset.label === "Hot");
                // the colour of the badge of hot customers (decoration-danger)
                const expected = "#dc3545";
                if (!hot || hot.borderColor !== expected) {
                    throw new Error(`Hot is drawn in ${hot?.borderColor}, not ${expected}`);
                }
            },
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
