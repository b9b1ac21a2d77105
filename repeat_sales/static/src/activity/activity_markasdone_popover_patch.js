import { Activity } from "@mail/core/web/activity";
import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { patch } from "@web/core/utils/patch";

// The popover may reload the form around the chatter (its call count).
ActivityMarkAsDone.props = [...ActivityMarkAsDone.props, "reloadParentView?"];

patch(Activity.prototype, {
    setup() {
        super.setup(...arguments);
        const popover = this.markDonePopover;
        if (popover) {
            const open = popover.open;
            popover.open = (target, props) =>
                open(target, { ...props, reloadParentView: this.props.reloadParentView });
        }
    },
});

/**
 * A planned reactivation call (from the follow-up plan or a previous call) is
 * not just "done": marking it done opens the call dialog with the script and
 * the outcome. Saving the call marks the activity done; closing the dialog
 * without saving leaves it planned. The form around the chatter is reloaded
 * then, so that the customer's call count shows the call at once.
 */
patch(ActivityMarkAsDone.prototype, {
    get isRepeatSalesCall() {
        const activity = this.props.activity;
        return (
            activity.res_model === "res.partner" &&
            activity.activity_category === "phonecall" &&
            Boolean(activity.repeat_followup_id || activity.repeat_call_id)
        );
    },

    async onClickDone() {
        if (!this.isRepeatSalesCall) {
            return super.onClickDone(...arguments);
        }
        const activity = this.props.activity;
        const thread = this.env.services["mail.store"].Thread.insert({
            model: activity.res_model,
            id: activity.res_id,
        });
        this.props.close?.();
        await new Promise((resolve) => {
            this.env.services.action.doAction("repeat_sales.repeat_sales_call_action_log", {
                additionalContext: {
                    default_activity_id: activity.id,
                    default_partner_id: activity.res_id,
                    default_note: activity.feedback || "",
                },
                onClose: resolve,
            });
        });
        this.props.onActivityChanged(thread);
        await Promise.all([thread.fetchNewMessages(), this.props.reloadParentView?.()]);
    },
});
