/**
 * Steps shared by the demo tours of the salesperson and of the manager
 * (tests/demo/test_demo_tours.py). The test puts what the tour needs (the
 * customers, the screens) in the session storage under this key.
 */
export const DEMO_KEY = "repeat_sales_demo_tour";

export function demoData() {
    return JSON.parse(window.sessionStorage.getItem(DEMO_KEY) || "{}");
}

/** Wait ``ms`` milliseconds. */
export function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Ask the test to save a screenshot named ``name``, then give it time. */
export function screenshot(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body:not(:has(.o_error_dialog))",
        run: async () => {
            // Let animations (dropdowns, pickers, charts) settle before and after.
            await pause(700);
            console.info(`repeat_sales_screenshot:${name}`);
            await pause(700);
        },
    };
}

// What a screen showing records has, whatever its view: list rows, cards,
// pivot cells, a drawn chart; and what it must not have: the empty-screen
// helper, sample data, an error dialog.
const RECORDS = [
    ".o_data_row",
    ".o_group_header",
    ".o_kanban_record:not(.o_kanban_ghost)",
    ".o_pivot .o_pivot_cell_value",
    ".o_graph_renderer canvas",
];
const NOT_EMPTY =
    "body:not(:has(.o_error_dialog)):not(:has(.o_view_nocontent)):not(:has(.o_view_sample_data))";

/** The current screen shows records of ``title`` and no error: log its figure. */
export function showsRecords(title, name) {
    return {
        content: `${title}: the screen shows records and no error`,
        trigger: RECORDS.map(
            (records) =>
                `${NOT_EMPTY} .o_action_manager:has(.o_breadcrumb:contains(${JSON.stringify(
                    title
                )})) ${records}`
        ).join(", "),
        run: async () => {
            await pause(300);
            console.info(`repeat_sales_screen:${name}|${screenFigure()}`);
        },
    };
}

/** What the screen shows in figures: its pager, its pivot totals or its chart. */
function screenFigure() {
    const action = document.querySelector(".o_action_manager");
    const view = action.querySelector(".o_view_controller");
    const type = [...(view?.classList || [])]
        .find((name) => /^o_(list|kanban|pivot|graph|form)_view$/.test(name))
        ?.slice(2, -5);
    const text = (element) => element.textContent.replace(/\s+/g, " ").trim();
    const groups = [...action.querySelectorAll(".o_group_header .o_group_name")];
    if (groups.length) {
        const totals = [...action.querySelectorAll(".o_list_footer td")]
            .map(text)
            .filter(Boolean);
        return `${type}: groups ${groups.map(text).join(", ")}; totals ${totals.join(" | ")}`;
    }
    const pager = action.querySelector(".o_pager_counter");
    if (pager) {
        return `${type}: ${pager.textContent.replace(/\s+/g, " ").trim()} records`;
    }
    const pivot = action.querySelector(".o_pivot table");
    if (pivot) {
        const measures = [...pivot.querySelectorAll("thead tr:last-child th")].map((th) =>
            th.textContent.trim()
        );
        const total = [...pivot.querySelectorAll("tbody tr:first-child td")].map((td) =>
            td.textContent.trim()
        );
        // The last columns are the grand totals of the measures.
        const shown = [...new Set(measures)];
        const values = total.slice(-shown.length);
        const rows = pivot.querySelectorAll("tbody tr").length - 1;
        return `pivot: ${rows} row(s); total ${shown
            .map((measure, index) => `${measure} = ${values[index]}`)
            .join(", ")}`;
    }
    const canvas = action.querySelector(".o_graph_renderer canvas");
    const chart = canvas && window.Chart?.getChart(canvas);
    if (chart) {
        const points = chart.data.datasets.reduce(
            (sum, dataset) => sum + dataset.data.filter((value) => value).length,
            0
        );
        if (!points) {
            throw new Error("The chart draws nothing: every value is zero.");
        }
        return `graph: ${chart.data.datasets.length} series, ${points} point(s)`;
    }
    const rows = action.querySelectorAll(".o_data_row, .o_kanban_record:not(.o_kanban_ghost)");
    return `${type}: ${rows.length} records`;
}
