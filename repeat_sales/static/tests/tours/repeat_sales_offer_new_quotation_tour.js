import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("repeat_sales_offer_new_quotation", {
    steps: () => [
        {
            content: "A new quotation: choose the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Offer Tiles",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Offer Tiles')",
            run: "click",
        },
        {
            content: "What this customer is likely to need next",
            trigger: ".o_notebook .nav-link:contains('Suggested for this Customer')",
            run: "click",
        },
        {
            content: "Add the suggested bathtub before the quotation is saved",
            trigger: ".o_data_row:contains('Bathtub') button[name=action_add_to_order]",
            run: "click",
        },
        {
            content: "The quotation is saved and holds the bathtub",
            trigger:
                "body:not(:has(.modal)) .o_form_saved .o_notebook .nav-link:contains('Order Lines')",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=order_line] .o_data_row:contains('Bathtub')",
        },
    ],
});
