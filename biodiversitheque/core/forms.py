from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


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


class LongSelect(forms.Select):
    """A <select> for long lists (hundreds of associations): the same HTML as Django's Select, written in Python;
    Django renders each <option> through a template, which cost more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "", "<option value=\"{}\"{}>{}</option>",
            ((option["value"], flatatt(option["attrs"]), option["label"])
             for _group, group_options, _index in widget["optgroups"] for option in group_options),
        )
        return format_html("<select name=\"{}\"{}>{}</select>", widget["name"], flatatt(widget["attrs"]), options)
