import { registry } from "@web/core/registry";

const { DateTime } = luxon;

/** Ask the test to save a screenshot named ``name``, then give it time. */
function screenshot(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body",
        run: async () => {
            // Let animations (dropdowns, pickers) settle before and after.
            await new Promise((resolve) => setTimeout(resolve, 700));
            console.info(`repeat_sales_screenshot:${name}`);
            await new Promise((resolve) => setTimeout(resolve, 700));
        },
    };
}

registry.category("web_tour.tours").add("repeat_sales_walkthrough", {
    steps: () => [
        {
            content: "The dashboard draws the segments over time",
            trigger: ".o_repeat_sales_panel_segments .o_graph_renderer canvas",
        },
        {
            content: "and what sleeping customers cost",
            trigger: ".o_repeat_sales_panel_cost .o_graph_renderer canvas",
        },
        screenshot("dashboard"),
        {
            content: "Open the customers",
            trigger: ".o_menu_sections button:contains('Orders')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('Customers')",
            run: "click",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Only the sleeping customers",
            trigger: ".o_filter_menu .dropdown-item:contains('Sleeping')",
            run: "click",
        },
        {
            content: "Open the sleeping customer",
            // Customers open as cards on 18.0, as a list on 19.0.
            trigger:
                ".o_kanban_record:contains('Walkthrough Tiles'), .o_data_row:contains('Walkthrough Tiles') .o_data_cell",
            run: "click",
        },
        {
            content: "Their repeat-sales figures",
            trigger: ".o_notebook .nav-link:contains('Repeat Sales')",
            run: "click",
        },
        {
            content: "Log a reactivation call",
            trigger: "button[name=action_repeat_sales_log_call]",
            run: "click",
        },
        {
            content: "Part 1 of the script: ask how they are",
            trigger: ".modal .o_form_view:contains('Greet the customer by name')",
        },
        {
            content: "Part 2: the reason for the call",
            trigger: ".modal div[name=call_reason_id] input",
            run: "edit A sale",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('A sale')",
            run: "click",
        },
        {
            content: "The customer will order",
            trigger: ".modal div[name=outcome] :is(select, .o_select_menu_toggler)",
            async run(helpers) {
                // A <select> on 18.0, a menu of choices on 19.0.
                if (helpers.anchor.tagName === "SELECT") {
                    await helpers.select('"will_order"'); // the option's value is JSON
                    return;
                }
                await helpers.click();
                let item;
                for (let tries = 0; !item && tries < 50; tries++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    item = [...document.querySelectorAll(".o_select_menu_item")].find(
                        (element) => element.textContent.includes("will order")
                    );
                }
                item.click();
            },
        },
        {
            content: "and says when",
            trigger: ".modal div[name=promised_date] input",
            run: `edit ${DateTime.now().plus({ days: 7 }).toFormat("MM/dd/yyyy")}`,
        },
        {
            content: "Close the date picker",
            trigger: ".modal .modal-title",
            run: "click",
        },
        screenshot("call"),
        {
            content: "Save the call",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The follow-up it created: a call on the promised day",
            trigger:
                "body:not(:has(.modal)) .o-mail-Activity:contains('The customer promised to order')",
        },
        screenshot("follow_up"),
        {
            content: "Open the quotations",
            trigger: ".o_menu_sections button:contains('Orders')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('Quotations')",
            run: "click",
        },
        {
            content: "Open the customer's quotation",
            trigger:
                ".o_data_row:contains('Walkthrough Tiles'):contains('Quotation') td[name=name]",
            run: "click",
        },
        {
            content: "What this customer is likely to need next",
            trigger: ".o_notebook .nav-link:contains('Suggested for this Customer')",
            run: "click",
        },
        {
            content: "Add the suggested bathtub in one click",
            trigger: ".o_data_row:contains('Bathtub') button[name=action_add_to_order]",
            run: "click",
        },
        {
            content: "Redeem a stamp gift",
            trigger: "button[name=action_repeat_sales_choose_gift]",
            run: "click",
        },
        {
            trigger: ".modal div[name=gift_id] input",
            run: "edit Mug",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Mug')",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_add_gift]",
            run: "click",
        },
        {
            content: "The order lines now hold the bathtub and the free gift",
            trigger: "body:not(:has(.modal)) .o_notebook .nav-link:contains('Order Lines')",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=order_line] .o_data_row:contains('Mug')",
        },
        {
            trigger: ".o_field_one2many[name=order_line] .o_data_row:contains('Bathtub')",
        },
        screenshot("quotation"),
        {
            content: "Open the manager's reports",
            trigger: ".o_menu_sections button:contains('Repeat Sales')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('Reactivation Funnel')",
            run: "click",
        },
        {
            content: "The funnel: touched, contacted, ordered, revenue",
            trigger: ".o_pivot:contains('Ordered within 30 Days')",
        },
        screenshot("funnel"),
    ],
});
