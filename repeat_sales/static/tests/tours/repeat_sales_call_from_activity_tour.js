import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("repeat_sales_call_from_activity", {
    steps: () => [
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
    ],
});
