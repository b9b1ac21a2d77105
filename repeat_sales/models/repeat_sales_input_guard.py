# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import formatLang

# Longest text a field of the addon keeps: a name or a line of text …
CHAR_MAX = 500
# … and a note, a script or an HTML body (a 5 MB paste is a mistake).
TEXT_MAX = 100_000
# Largest number a float field takes: beyond, figures overflow reports.
NUMBER_MAX = 1e12
# PostgreSQL's integer column.
INTEGER_MAX = 2**31 - 1


class RepeatSalesInputGuard(models.AbstractModel):
    """What every model of the addon refuses before the ORM sees it.

    The one place for the addon's input checks: values of the wrong kind (a
    selection value that does not exist, a date that is no date, a number that
    is no number or is infinite, a NUL character, a text too long), values out
    of a field's sensible range (``_repeat_ranges``), figures the addon derives
    (``_repeat_derived_fields``), and records put in a company the user does not
    work in. Each refusal is a clear message in the user's language, raised
    before anything is written (ranges: within the same write, rolled back).
    """

    _name = "repeat.sales.input.guard"
    _description = "Repeat Sales Input Guard"

    # field name: (lowest, highest) accepted; None leaves that side unchecked.
    _repeat_ranges = {}
    # Fields only the addon's own code (as superuser) writes.
    _repeat_derived_fields = ()
    # field name: longest accepted text, where CHAR_MAX / TEXT_MAX do not fit.
    _repeat_text_limits = {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._repeat_check_values(vals)
        if not self.env.su:
            for vals in vals_list:
                self._repeat_refuse_derived(vals)
            if self._repeat_owns_company():
                default = self.default_get(["company_id"]).get("company_id")
                self._repeat_check_companies(
                    [vals.get("company_id", default) for vals in vals_list]
                )
        records = super().create(vals_list)
        records._repeat_check_ranges(set().union(*vals_list))
        return records

    def write(self, vals):
        self._repeat_check_values(vals)
        if not self.env.su:
            self._repeat_refuse_derived(vals)
            if "company_id" in vals and self._repeat_owns_company():
                self._repeat_check_companies([vals["company_id"]])
        result = super().write(vals)
        self._repeat_check_ranges(vals)
        return result

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _repeat_label(self, name):
        return self._fields[name]._description_string(self.env)

    def _repeat_check_values(self, vals):
        """Refuse values of the wrong kind for the model's own fields."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value is None or value is False:
                continue
            if field.type == "selection":
                self._repeat_check_selection(field, value)
            elif field.type in ("date", "datetime"):
                self._repeat_check_date(field, value)
            elif field.type in ("integer", "float", "monetary"):
                self._repeat_check_number(field, value)
            elif field.type in ("char", "text", "html") and isinstance(value, str):
                self._repeat_check_text(field, value)

    def _repeat_check_selection(self, field, value):
        values = field.get_values(self.env)
        if value not in values:
            raise ValidationError(
                self.env._(
                    "“%(value)s” is not a choice of %(field)s; choose one of: "
                    "%(choices)s.",
                    value=value,
                    field=self._repeat_label(field.name),
                    choices=", ".join(str(choice) for choice in values),
                )
            )

    def _repeat_check_date(self, field, value):
        try:
            if field.type == "date":
                valid = fields.Date.to_date(value)
            else:
                valid = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError):
            valid = None
        if not valid:
            raise ValidationError(
                self.env._(
                    "“%(value)s” is not a valid date for %(field)s.",
                    value=value,
                    field=self._repeat_label(field.name),
                )
            )

    def _repeat_check_number(self, field, value):
        limit = INTEGER_MAX if field.type == "integer" else NUMBER_MAX
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool):
            raise ValidationError(
                self.env._(
                    "“%(value)s” is not a number (%(field)s).",
                    value=value,
                    field=self._repeat_label(field.name),
                )
            )
        if not math.isfinite(number) or abs(number) > limit:
            raise ValidationError(
                self.env._(
                    "%(field)s must be between -%(limit)s and %(limit)s.",
                    field=self._repeat_label(field.name),
                    limit=formatLang(self.env, limit, digits=0),
                )
            )

    def _repeat_check_text(self, field, value):
        if "\x00" in value:
            raise ValidationError(
                self.env._(
                    "%(field)s contains a NUL character, which cannot be stored.",
                    field=self._repeat_label(field.name),
                )
            )
        limit = self._repeat_text_limits.get(
            field.name, CHAR_MAX if field.type == "char" else TEXT_MAX
        )
        if len(value) > limit:
            raise ValidationError(
                self.env._(
                    "%(field)s is too long: %(length)s characters, at most %(limit)s.",
                    field=self._repeat_label(field.name),
                    length=formatLang(self.env, len(value), digits=0),
                    limit=formatLang(self.env, limit, digits=0),
                )
            )

    def _repeat_check_ranges(self, names):
        names = [name for name in names if name in self._repeat_ranges]
        for record in self:
            for name in names:
                low, high = self._repeat_ranges[name]
                value = record[name]
                if (low is None or value >= low) and (high is None or value <= high):
                    continue
                label = record._repeat_label(name)
                if low is None:
                    message = self.env._(
                        "%(field)s must be at most %(high)s (%(value)s given).",
                        field=label,
                        high=high,
                        value=value,
                    )
                else:
                    message = self.env._(
                        "%(field)s must be between %(low)s and %(high)s "
                        "(%(value)s given).",
                        field=label,
                        low=low,
                        high=high,
                        value=value,
                    )
                raise ValidationError(message)

    def _repeat_derived_in(self, vals):
        """The fields of ``vals`` a user may not write (overridden per model)."""
        return [name for name in self._repeat_derived_fields if name in vals]

    def _repeat_refuse_derived(self, vals):
        derived = self._repeat_derived_in(vals)
        if derived:
            raise UserError(
                self.env._(
                    "%(fields)s: computed by Repeat Sales from the orders; it "
                    "cannot be set by hand.",
                    fields=", ".join(self._repeat_label(name) for name in derived),
                )
            )

    def _repeat_owns_company(self):
        field = self._fields.get("company_id")
        return bool(field and field.store and not field.related)

    def _repeat_check_companies(self, company_ids):
        """Records are created in, or moved to, the user's current companies only.

        Checked before the ORM writes anything: a uniqueness error must not
        tell a user what another company holds.
        """
        allowed = set(self.env.companies.ids)
        if any(company_id and company_id not in allowed for company_id in company_ids):
            raise AccessError(
                self.env._(
                    "You can only create or move %(model)s records in the "
                    "companies you work in.",
                    # sudo: the model's name in the user's language; salespeople
                    # may not read ir.model.
                    model=self.env["ir.model"].sudo()._get(self._name).name,
                )
            )
