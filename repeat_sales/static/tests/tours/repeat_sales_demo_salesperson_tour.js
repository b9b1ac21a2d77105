import { registry } from "@web/core/registry";
import { demoData, pause, screenshot, showsRecords } from "./repeat_sales_demo_tours_common";

const { DateTime } = luxon;

const NO_ERROR = "body:not(:has(.o_error_dialog))";

/** A `:contains()` of a text that may hold quotes (customer names do). */
function has(text) {
    return `:contains(${JSON.stringify(text)})`;
}

/** Choose an outcome in the call dialog: a <select> on 18.0, a menu on 19.0. */
function chooseOutcome(value, label) {
    return {
        content: `The outcome: ${label}`,
        trigger: ".modal div[name=outcome] :is(select, .o_select_menu_toggler)",
        async run(helpers) {
            if (helpers.anchor.tagName === "SELECT") {
                await helpers.select(JSON.stringify(value)); // the option's value is JSON
                return;
            }
            await helpers.click();
            let item;
            for (let tries = 0; !item && tries < 50; tries++) {
                await pause(100);
                item = [...document.querySelectorAll(".o_select_menu_item")].find((element) =>
                    element.textContent.includes(label)
                );
            }
            item.click();
        },
    };
}

/** Open the call dialog of the customer's due call from My Follow-ups. */
function openDueCall(customer) {
    return [
        {
            content: `${customer}'s call is due: log it`,
            trigger: `${NO_ERROR} .o_data_row${has(customer)}:has(button:contains('Log a Call')):first button:contains('Log a Call')`,
            run: "click",
        },
        {
            content: "The dialog shows the call script",
            trigger: ".modal div[name=script_opening] .o_readonly:not(:empty)",
        },
        {
            content: "and the customer's last orders",
            trigger: ".modal div[name=customer_order_ids] .o_data_row",
        },
        {
            content: "The reason for the call",
            trigger: ".modal div[name=call_reason_id] input",
            run: "edit A sale",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('A sale')",
            run: "click",
        },
        {
            content: "The script's second part follows the reason",
            trigger: ".modal div[name=script_reason] p",
        },
    ];
}

const SAVE_CALL = [
    {
        content: "Save the call",
        trigger: ".modal .o_form_button_save",
        run: "click",
    },
    {
        content: "The dialog closes without an error",
        trigger: `${NO_ERROR}:not(:has(.modal)) .o_list_view`,
    },
];

// The salesperson's day on the demo database (login sales): the calls due in
// My Follow-ups, a complaint and a promise to order, the activities they
// plan, a new quotation with a suggested product and a stamp gift, confirmed.
registry.category("web_tour.tours").add("repeat_sales_demo_salesperson", {
    steps: () => {
        const { complaint, order, product, gift } = demoData();
        const promised = DateTime.now().plus({ days: 7 });
        return [
            showsRecords("My Follow-ups", "my_followups"),
            screenshot("sales_1_my_followups"),
            // A due call: the customer complains.
            ...openDueCall(complaint),
            chooseOutcome("complaint", "complaint"),
            {
                content: "What the customer is unhappy about",
                trigger: ".modal div[name=complaint] textarea",
                run: "edit The tiles of the last delivery were chipped.",
            },
            ...SAVE_CALL,
            {
                content: `${complaint}'s due call is carried out`,
                trigger: `.o_list_view:not(:has(.o_data_row${has(complaint)}))`,
            },
            // Another due call: the customer will order.
            ...openDueCall(order),
            {
                content: "The offers to mention",
                trigger: `.modal div[name=customer_offer_ids] .o_data_row${has(product)}`,
            },
            chooseOutcome("will_order", "will order"),
            {
                content: "and says when",
                trigger: ".modal div[name=promised_date] input",
                run: `edit ${promised.toFormat("MM/dd/yyyy")}`,
            },
            {
                content: "Close the date picker",
                trigger: ".modal .modal-title",
                run: "click",
            },
            screenshot("sales_2_call"),
            ...SAVE_CALL,
            {
                content: "The reminder of the promise is planned for the salesperson",
                trigger: `.o_data_row${has(order)}:contains('The customer promised to order')`,
            },
            showsRecords("My Follow-ups", "my_followups_after_calls"),
            screenshot("sales_3_next_activities"),
            {
                content: "The complaint goes to the complaints handler: show everyone's",
                trigger: ".o_searchview_facet:contains('Mine') .o_facet_remove",
                run: "click",
            },
            {
                trigger: ".o_searchview_input",
                run: `edit ${complaint}`,
            },
            {
                trigger: ".o_searchview_autocomplete .o_menu_item:first",
                run: "click",
            },
            {
                content: "The complaint is planned",
                trigger: `${NO_ERROR} .o_data_row${has(complaint)}:contains('Complaint of')`,
            },
            showsRecords("My Follow-ups", "complaint_planned"),
            // A new quotation for the customer who will order.
            {
                content: "Open the quotations",
                trigger: ".o_menu_sections button:contains('Orders')",
                run: "click",
            },
            {
                trigger: ".dropdown-menu .dropdown-item:contains('Quotations')",
                run: "click",
            },
            showsRecords("Quotations", "quotations"),
            {
                content: "A new quotation",
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                content: "for the customer who will order",
                trigger: ".o_form_view .o_field_widget[name=partner_id] input",
                run: `edit ${order}`,
            },
            {
                trigger: `.o-autocomplete--dropdown-item${has(order)}`,
                run: "click",
            },
            {
                content: "The quotation is not saved yet",
                trigger: ".o_breadcrumb .active:contains('New')",
            },
            {
                content: "What this customer is likely to need next",
                trigger: ".o_notebook .nav-link:contains('Suggested for this Customer')",
                run: "click",
            },
            {
                content: "Add the suggested product in one click",
                trigger: `.o_data_row${has(product)} button[name=action_add_to_order]`,
                run: "click",
            },
            {
                content: "The quotation is saved and holds the product",
                trigger: `${NO_ERROR}:not(:has(.modal)) .o_form_saved .o_notebook .nav-link:contains('Order Lines')`,
                run: "click",
            },
            {
                trigger: `.o_field_one2many[name=order_line] .o_data_row${has(product)}`,
            },
            {
                content: "The customer's card is full: choose a gift",
                trigger: "button[name=action_repeat_sales_choose_gift]",
                run: "click",
            },
            {
                trigger: ".modal div[name=gift_id] input",
                run: `edit ${gift}`,
            },
            {
                trigger: `.o-autocomplete--dropdown-item${has(gift)}`,
                run: "click",
            },
            {
                trigger: ".modal button[name=action_add_gift]",
                run: "click",
            },
            {
                content: "The free gift is on the quotation",
                trigger: `${NO_ERROR}:not(:has(.modal)) .o_field_one2many[name=order_line] .o_data_row${has(
                    gift
                )}`,
            },
            {
                content: "Confirm the order",
                trigger: ".o_form_view button[name=action_confirm]",
                run: "click",
            },
            {
                content: "The order is confirmed",
                trigger: `${NO_ERROR} .o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')`,
            },
            {
                content: "with the customer's stamps and tier",
                trigger: ".o_form_view div[name=repeat_stamp_balance]:not(:empty)",
                run: () => {
                    const stamps = document
                        .querySelector(".o_form_view div[name=repeat_stamp_balance]")
                        .textContent.trim();
                    const tier = document
                        .querySelector(".o_form_view div[name=repeat_loyalty_tier_id]")
                        .textContent.trim();
                    console.info(`repeat_sales_screen:order|${stamps} stamps, tier ${tier}`);
                },
            },
            screenshot("sales_4_order"),
        ];
    },
});
