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
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if form.is_bound and name in form.errors:
            base += " is-invalid"
        widget.attrs["class"] = f"{css} {base}".strip()


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
