from django import forms


class FilterForm(forms.Form):
    """A GET filter form: invalid values are ignored (and reported), never an error page."""

    def cleaned_filters(self):
        if not self.is_bound:
            return {name: None for name in self.fields}
        self.is_valid()
        values = {}
        for name in self.fields:
            value = self.cleaned_data.get(name) if name not in self.errors else None
            values[name] = getattr(value, "slug", value) or None
        return values
