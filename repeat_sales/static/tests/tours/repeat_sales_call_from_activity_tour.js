import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("repeat_sales_call_from_activity", {
    steps: () => [
        {
            content: "The customer has no call yet",
            trigger: "button[name=action_repeat_sales_calls]:contains('0')",
            run: () => {
                // Gone if the page reloads: the count must refresh without it.
                window.repeatSalesSamePage = true;
            },
        },
        {
            content: "Mark the planned follow-up call done",
            trigger: ".o-mail-Activity:contains('Call with a special offer') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        {
            content: "The call dialog opens with the script",
            trigger: ".modal .o_form_view:contains('Greet the customer by name')",
        },
        {
            content: "Close it without logging the call",
            trigger: ".modal .o_form_button_cancel",
            run: "click",
        },
        {
            content: "The call is still planned",
            trigger: "body:not(:has(.modal)) .o-mail-Activity:contains('Call with a special offer')",
        },
        {
            content: "Mark it done again",
            trigger: ".o-mail-Activity:contains('Call with a special offer') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        {
            content: "Nobody answers",
            trigger: ".modal div[name=outcome] :is(select, .o_select_menu_toggler)",
            async run(helpers) {
                // A <select> on 18.0, a menu of choices on 19.0.
                if (helpers.anchor.tagName === "SELECT") {
                    await helpers.select('"no_answer"'); // the option's value is JSON
                    return;
                }
                await helpers.click();
                let item;
                for (let tries = 0; !item && tries < 50; tries++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    item = [...document.querySelectorAll(".o_select_menu_item")].find(
                        (element) => element.textContent.includes("No answer")
                    );
                }
                item.click();
            },
        },
        {
            content: "Log the call",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The retry is planned",
            trigger: "body:not(:has(.modal)) .o-mail-Activity:contains('Call again')",
        },
        {
            content: "The customer's call count shows the call, on the same page",
            trigger: "button[name=action_repeat_sales_calls]:contains('1')",
            run: () => {
                if (!window.repeatSalesSamePage) {
                    throw new Error("The page was reloaded.");
                }
            },
        },
    ],
});
