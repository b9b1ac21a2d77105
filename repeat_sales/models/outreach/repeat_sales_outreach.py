# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models


class RepeatSalesOutreach(models.AbstractModel):
    """The one path by which the addon reaches a customer.

    The follow-up plan, campaigns and calls describe what they want (an e-mail
    from a template or an activity, for a customer in a company, from a source
    record) as requests; this model decides, the same way for all of them, who
    is responsible, what the customer's opt-outs and the lost flag forbid, and
    that a source never has two open activities; then it carries the requests
    out in batch.

    A request is a dict:

    - ``partner``, ``company``, ``source`` (the record asking: a follow-up, a
      campaign customer, a call);
    - ``template`` (an e-mail on ``res.partner``) or ``activity_type`` with
      ``deadline``, ``summary``, ``note``;
    - ``channel``: ``mail``, ``phone``, ``other`` (another way to the customer:
      only the lost flag applies) or ``task`` (internal work that reaches no
      customer: nothing applies); by default from the template or the activity
      type's category;
    - ``user``: who gets the activity; empty for the responsible rule, with
      ``fallback_user`` as the last resort;
    - ``agreed``: the customer asked for it on a call (a call-back, a promised
      order): the lost flag does not cancel it, an opt-out still does;
    - ``coupon``: {``program``, ``days``}, a personal coupon to give with it
      (``loyalty.card._repeat_issue_coupons``): only to a customer reached, its
      code in the e-mail or the activity's note.
    """

    _name = "repeat.sales.outreach"
    _description = "Customer Outreach"

    # ------------------------------------------------------------------
    # Who and whether
    # ------------------------------------------------------------------

    @api.model
    def _team_leader(self, user, company):
        """The leader of ``user``'s sales team in ``company``, if any."""
        # sudo: the user's teams may include some of another company the
        # current user cannot read; only the leader of one in ``company`` is kept.
        teams = user.sudo().crm_team_ids.filtered(
            lambda team: (
                team.company_id in (company, team.browse()) and team.user_id.active
            )
        )
        return teams[:1].user_id.sudo(False)  # the leader, without sudo

    @api.model
    def _responsible(self, partner, company, fallback_user=None):
        """The customer's salesperson when they work in ``company``, else their
        sales team leader there, else ``fallback_user``, else the company's
        follow-up user, else the current user."""
        salesperson = partner.user_id
        if salesperson.active and company in salesperson.company_ids:
            return salesperson
        return (
            self._team_leader(salesperson, company)
            or fallback_user
            or company.repeat_followup_user_id
            or self.env.user
        )

    @api.model
    def _skip_reason(self, request):
        """The code of what forbids this request, or None."""
        channel = self._channel(request)
        if channel == "task":
            return None
        partner = request["partner"].with_company(request["company"])
        if channel == "mail" and (
            not partner.email_normalized or partner.is_blacklisted
        ):
            return "no_email"
        if channel == "phone" and partner.repeat_do_not_call:
            return "do_not_call"
        if partner.repeat_lost_date and not request.get("agreed"):
            return "lost"
        return None

    @api.model
    def _channel(self, request):
        """The request's channel: as given, else what its e-mail or activity
        type says (a phone call, or another way to the customer)."""
        if request.get("channel"):
            return request["channel"]
        if "template" in request:
            return "mail"
        if request["activity_type"].category == "phonecall":
            return "phone"
        return "other"

    @api.model
    def _skip_label(self, code):
        """Why an outreach was not carried out, in words."""
        return {
            "no_email": _("No usable e-mail address"),
            "do_not_call": _("The customer asked not to be called"),
            "lost": _("The customer is flagged as lost"),
            "duplicate": _("An activity for this is already open"),
        }[code]

    # ------------------------------------------------------------------
    # Carrying requests out
    # ------------------------------------------------------------------

    @api.model
    def _reach(self, requests, notify=True):
        """Carry out the requests; one result per request, in order.

        A result is ``{"activity": mail.activity}``, ``{"message": mail.message}``
        or ``{"skipped": code}``. ``notify=False`` plans the activities without
        a notification each (the plan sends one digest per salesperson).
        """
        results = [None] * len(requests)
        to_check = []
        for index, request in enumerate(requests):
            code = self._skip_reason(request)
            if code:
                results[index] = {"skipped": code}
            else:
                to_check.append(index)
        open_sources = self._sources_with_open_activity(
            [
                requests[index]
                for index in to_check
                if "activity_type" in requests[index]
            ]
        )
        activities, mails = [], []
        for index in to_check:
            request = requests[index]
            if "template" in request:
                mails.append(index)
            elif self._source_key(request["source"]) in open_sources:
                results[index] = {"skipped": "duplicate"}
            else:
                activities.append(index)
                # Two requests of one source in one batch: the first wins.
                open_sources.add(self._source_key(request["source"]))
        coupons = self._give_coupons([requests[i] for i in activities + mails])
        for index in activities + mails:
            card = coupons.get(self._source_key(requests[index]["source"]))
            if card:
                requests[index] = {**requests[index], "coupon_card": card}
        created = self._create_activities([requests[i] for i in activities], notify)
        for index, activity in zip(activities, created, strict=True):
            results[index] = {"activity": activity}
        by_source = defaultdict(list)
        for index in mails:
            request = requests[index]
            by_source[request["template"], request["company"]].append(index)
        for (template, company), indexes in by_source.items():
            messages = self._send_mails(
                template,
                company,
                [requests[index]["partner"] for index in indexes],
                [requests[index].get("coupon_card") for index in indexes],
            )
            for index, message in zip(indexes, messages, strict=True):
                results[index] = {"message": message}
        return results

    @api.model
    def _give_coupons(self, requests, check=False):
        """The personal coupons of the requests carrying one, issued in batch:
        {source key: card}. ``check`` skips those the customer's opt-outs
        forbid (requests carried out by ``_reach`` are checked already)."""
        requests = [
            request
            for request in requests
            if request.get("coupon") and not (check and self._skip_reason(request))
        ]
        if not requests:
            return {}
        self._check_readable(
            self.env["res.partner"].union(*(request["partner"] for request in requests))
        )
        return self.env["loyalty.card"]._repeat_issue_coupons(
            [
                {
                    **request,
                    "user": request.get("user")
                    or self._responsible(
                        request["partner"],
                        request["company"],
                        request.get("fallback_user"),
                    ),
                }
                for request in requests
            ]
        )

    @api.model
    def _source_field(self, source):
        """The field of ``mail.activity`` that links an activity to ``source``."""
        Activity = self.env["mail.activity"]
        return next(
            name
            for name, field in Activity._fields.items()
            if name.startswith("repeat_")
            and field.type == "many2one"
            and field.comodel_name == source._name
        )

    @api.model
    def _source_key(self, source):
        return (source._name, source.id)

    @api.model
    def _sources_with_open_activity(self, requests):
        by_field = defaultdict(list)
        for request in requests:
            by_field[self._source_field(request["source"])].append(request["source"].id)
        found = set()
        for field_name, ids in by_field.items():
            # sudo: another user's activity of the same source still counts.
            for activity in (
                self.env["mail.activity"].sudo().search([(field_name, "in", ids)])
            ):
                source = activity[field_name]
                found.add(self._source_key(source))
        return found

    @api.model
    def _check_readable(self, partners):
        """The acting user must at least see the customers they reach."""
        if not self.env.su:
            partners.check_access("read")

    @api.model
    def _create_activities(self, requests, notify=True):
        if not requests:
            return self.env["mail.activity"]
        partner_model = self.env["ir.model"]._get_id("res.partner")
        self._check_readable(
            self.env["res.partner"].union(*(request["partner"] for request in requests))
        )
        vals_list = []
        for request in requests:
            activity_type = request["activity_type"]
            note = request.get("note") or activity_type.default_note
            if request.get("coupon_card"):
                note = Markup("%s%s") % (
                    note or "",
                    request["coupon_card"]._repeat_coupon_html(),
                )
            user = request.get("user") or self._responsible(
                request["partner"], request["company"], request.get("fallback_user")
            )
            source = request["source"]
            vals_list.append(
                {
                    "res_model_id": partner_model,
                    "res_id": request["partner"].id,
                    "activity_type_id": activity_type.id,
                    "summary": request.get("summary") or activity_type.summary,
                    "note": note,
                    "date_deadline": request.get("deadline")
                    or fields.Date.context_today(self),
                    "user_id": user.id,
                    "automated": True,
                    self._source_field(source): source.id,
                }
            )
        # sudo: planning on a customer needs write access to the contact, which
        # Odoo's plain salesperson lacks; the addon plans by its own rules on
        # customers the user can read (checked above).
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=not notify)
            .create(vals_list)
            .sudo(False)  # the activities, back without sudo
        )

    @api.model
    def _send_mails(self, template, company, partners, coupons=None):
        """Post ``template`` to each of ``partners`` (in ``company``), sent to
        that customer; one message each, in order. ``coupons``: a personal
        coupon card (or None) per partner, its code added to that e-mail in
        the customer's language.

        As ``message_post_with_source`` would, one post per customer, but the
        template is rendered once for all of them (one composer in batch):
        a composer per customer cost most of the time of the plan's e-mails.
        """
        customers = self.env["res.partner"].union(*partners)
        self._check_readable(customers)
        # sudo: posting on a customer needs write access to the contact (see
        # _create_activities); the author stays the current user.
        customers = customers.with_company(company).sudo()
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        # sudo: the composer posts on the customers (write access, as above).
        composer = (
            self.env["mail.compose.message"]
            .with_company(company)
            .sudo()
            .with_context(
                default_composition_mode="comment",
                default_model="res.partner",
                default_res_ids=customers.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "message_type": "notification",
                    "subtype_id": subtype_id,
                    "author_id": self.env.user.partner_id.id,
                }
            )
        )
        values_all = composer._prepare_mail_values(customers.ids)
        messages = []
        coupons = coupons or [None] * len(partners)
        for partner, card in zip(partners, coupons, strict=True):
            # To the customer alone, whatever the template's recipients.
            values = dict(values_all[partner.id], partner_ids=partner.ids)
            if card:
                values["body"] = Markup("%s%s") % (
                    values.get("body") or "",
                    card._repeat_coupon_html(partner.lang),
                )
            # sudo(False): the message handed back without the posting's sudo.
            messages.append(
                customers.browse(partner.id).message_post(**values).sudo(False)
            )
        composer.unlink()
        return messages

    # ------------------------------------------------------------------
    # What the customer's record keeps
    # ------------------------------------------------------------------

    @api.model
    def _log_note(self, partner, body):
        """A note in the customer's chatter, by the current user."""
        self._check_readable(partner)
        # sudo: same reason as _send_mails.
        return partner.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )

    @api.model
    def _flag_lost(self, partners, company):
        """The company gives the customers up until they order again."""
        self._check_readable(partners)
        # sudo: the lost flag is the addon's, set by a plan step or a call.
        partners.sudo().with_company(company).write(
            {"repeat_lost_date": fields.Date.context_today(self)}
        )

    @api.model
    def _stop_calls(self, partners):
        """The customers asked not to be called: flag them, drop planned calls."""
        self._check_readable(partners)
        # sudo: the customer's wish is recorded whoever took the call, and
        # planned calls of other salespeople are dropped with it.
        partners = partners.sudo()
        partners.write({"repeat_do_not_call": True})
        call_type = self.env.ref("mail.mail_activity_data_call")
        partners.activity_ids.filtered(
            lambda activity: (
                activity.activity_type_id.category == "phonecall"
                or activity.activity_type_id == call_type
            )
        ).unlink()
