from django import forms


def style_fields(form):
    for name, field in form.fields.items():
        widget = field.widget
        css = widget.attrs.get("class", "")
        if isinstance(widget, (forms.CheckboxInput,)):
            base = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            base = "form-select form-select-sm" if getattr(form, "compact", False) else "form-select"
        else:
            base = "form-control form-control-sm" if getattr(form, "compact", False) else "form-control"
        if isinstance(widget, forms.DateInput):
            # A text field in yyyy-mm-dd, not type="date": browsers show that in their own locale (mm/dd/yyyy).
            widget.input_type = "text"
            widget.format = "%Y-%m-%d"
            widget.attrs.update(placeholder="yyyy-mm-dd", pattern=r"\d{4}-\d{1,2}-\d{1,2}", inputmode="numeric",
                                autocomplete="off", maxlength="10")
        # Read _errors, not errors: .errors would validate the form before a subclass has narrowed its choices.
        if form.is_bound and form._errors is not None and name in form._errors:
            base += " is-invalid"
        classes = [c for c in css.split() if c not in {"form-control", "form-select", "form-check-input",
                                                        "form-control-sm", "form-select-sm", "is-invalid"}]
        widget.attrs["class"] = " ".join(classes + base.split())


class StyledFormMixin:
    compact = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self)


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass
