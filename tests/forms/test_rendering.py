"""Rendering: Django's HTML, accessibility attributes, escaping, overridable templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from djanco import forms
from djanco.conf import Settings
from djanco.templates import arender_to_string, render_to_string


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=100, help_text="Keep it <em>short</em>")
    body = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("news", "News"), ("blog", "Blog")])
    color = forms.ChoiceField(
        choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect, required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.fixture
def template_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.TEMPLATES.DIRS = [tmp_path]
    return tmp_path


def test_input_label_and_errors_html_match_django() -> None:
    form = ArticleForm({"title": "", "kind": "news"})
    assert str(form.title) == (
        '<input type="text" name="title" maxlength="100" required aria-invalid="true" '
        'aria-describedby="id_title_helptext id_title_error" id="id_title">'
    )
    assert form.title.label_tag() == '<label for="id_title">Title:</label>'
    assert str(form.title.errors) == (
        '<ul class="errorlist" id="id_title_error"><li>This field is required.</li></ul>'
    )
    assert form.title.id_for_label == "id_title"
    assert form.title.help_text == "Keep it <em>short</em>"
    assert form.title.widget_type == "text"


def test_whole_form_is_accessible() -> None:
    html = str(ArticleForm({"title": "", "kind": "nope", "color": "r"}))
    # Every visible input has a label pointing at it ...
    assert '<label for="id_title">Title:</label>' in html
    assert '<label for="id_body">Body:</label>' in html
    # ... help text and the error list are tied to it with aria-describedby ...
    assert '<div class="helptext" id="id_title_helptext">Keep it <em>short</em></div>' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert '<ul class="errorlist" id="id_kind_error"><li>Select a valid choice.' in html
    assert 'aria-invalid="true" aria-describedby="id_kind_error" id="id_kind"' in html
    # ... radio buttons are grouped in a fieldset with a legend ...
    assert "<fieldset>\n<legend>Color:</legend>" in html
    assert (
        '<label for="id_color_0"><input type="radio" name="color" value="r" id="id_color_0"' in html
    )
    # ... and hidden fields come last, without a label.
    assert html.rstrip().endswith('<input type="hidden" name="token" id="id_token"></div>')


def test_invalid_data_re_renders_every_typed_value() -> None:
    class Everything(forms.Form):
        name = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)
        count = forms.IntegerField()
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
        tags = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
        picks = forms.MultipleChoiceField(
            choices=[("1", "1"), ("2", "2")], widget=forms.CheckboxSelectMultiple
        )
        agree = forms.BooleanField()
        size = forms.ChoiceField(choices=[("s", "S"), ("m", "M")], widget=forms.RadioSelect)
        maybe = forms.NullBooleanField()
        day = forms.DateField()

    data = {
        "name": "Ann",
        "notes": "line 1\nline 2",
        "count": "not a number",
        "kind": "b",
        "tags": ["x", "z"],
        "picks": ["2"],
        "agree": "on",
        "size": "m",
        "maybe": "false",
        "day": "31/31/2024",
    }
    form = Everything(data)
    assert not form.is_valid()
    assert set(form.errors) == {"count", "day"}
    html = str(form)
    assert 'value="Ann"' in html
    assert ">\nline 1\nline 2</textarea>" in html
    assert 'value="not a number"' in html
    assert '<option value="b" selected>B</option>' in html
    assert '<option value="x" selected>X</option>' in html
    assert '<option value="z" selected>Z</option>' in html
    assert 'value="2" id="id_picks_1" checked' in html
    assert 'name="agree" required id="id_agree" checked' in html
    assert 'value="m" required id="id_size_1" checked' in html
    assert '<option value="false" selected>No</option>' in html
    assert 'value="31/31/2024"' in html


def test_user_values_are_escaped() -> None:
    hostile = '"><script>alert(1)</script>'
    form = ArticleForm({"title": hostile, "body": "</textarea><b>x</b>", "kind": hostile})
    html = str(form)
    assert "<script>" not in html
    assert "<b>x</b>" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    # The submitted value echoed in the error message is escaped too.
    assert "Select a valid choice. &#34;&gt;&lt;script&gt;" in html


def test_labels_are_escaped_unless_marked_safe() -> None:
    class Labelled(forms.Form):
        name = forms.CharField(label="Name <required>")

    form = Labelled()
    assert form.name.label_tag() == '<label for="id_name">Name &lt;required&gt;:</label>'
    assert form.name.label_tag("Who?") == '<label for="id_name">Who?</label>'
    assert form.name.label_tag(label_suffix="") == (
        '<label for="id_name">Name &lt;required&gt;</label>'
    )


def test_css_classes_and_required_class() -> None:
    class Styled(forms.Form):
        error_css_class = "error"
        required_css_class = "required"
        name = forms.CharField()

    form = Styled({})
    assert form.name.css_classes() == "error required"
    assert form.name.label_tag() == '<label for="id_name" class="required">Name:</label>'
    assert '<div class="error required">' in str(form)


def test_other_layouts() -> None:
    form = ArticleForm({"title": "x"})
    assert '<p>\n<label for="id_title">Title:</label>' in form.as_p()
    assert '<th><label for="id_title">Title:</label></th>' in form.as_table()
    assert '<li>\n\n<label for="id_title">Title:</label>' in form.as_ul()
    assert '<span class="helptext" id="id_title_helptext">' in form.as_p()


def test_radio_buttons_one_by_one() -> None:
    form = ArticleForm(initial={"color": "g"})
    radios = list(form.color)
    assert [r.choice_label for r in radios] == ["Red", "Green"]
    assert [r.id_for_label for r in radios] == ["id_color_0", "id_color_1"]
    assert radios[1].tag() == '<input type="radio" name="color" value="g" id="id_color_1" checked>'
    assert str(radios[0]) == (
        '<label for="id_color_0"><input type="radio" name="color" value="r" id="id_color_0">'
        " Red</label>"
    )
    assert form.color.id_for_label == ""
    assert len(form.color) == 2


def test_widget_details() -> None:
    class Widgets(forms.Form):
        secret = forms.CharField(widget=forms.PasswordInput)
        shown = forms.CharField(widget=forms.PasswordInput(render_value=True))
        day = forms.DateField(widget=forms.DateInput(format="%d/%m/%Y"))
        at = forms.DateTimeField()
        clock = forms.TimeField()
        home = forms.URLField()
        mail = forms.EmailField()
        number = forms.DecimalField(decimal_places=2)
        typed = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "class": "q"}))

    form = Widgets(
        {"secret": "s3", "shown": "visible"},
        initial={
            "day": dt.date(2024, 3, 1),
            "at": dt.datetime(2024, 3, 1, 9, 30),
            "clock": dt.time(9, 30),
        },
    )
    assert 'value="s3"' not in str(form.secret)
    assert 'value="visible"' in str(form.shown)
    unbound = Widgets(
        initial={
            "day": dt.date(2024, 3, 1),
            "at": dt.datetime(2024, 3, 1, 9, 30),
            "clock": dt.time(9, 30),
        }
    )
    assert 'value="01/03/2024"' in str(unbound.day)
    assert 'value="2024-03-01 09:30:00"' in str(unbound.at)
    assert 'value="09:30:00"' in str(unbound.clock)
    assert str(unbound.home).startswith('<input type="url" name="home"')
    assert str(unbound.mail).startswith('<input type="email" name="mail"')
    assert 'type="number" name="number" step="0.01"' in str(unbound.number)
    assert str(unbound.typed) == (
        '<input type="search" name="typed" class="q" required id="id_typed">'
    )


def test_widgets_render_alone() -> None:
    assert forms.TextInput().render("q", "a&b") == '<input type="text" name="q" value="a&amp;b">'
    assert forms.Select(choices=[("1", "One")]).render("n", 1) == (
        '<select name="n">\n<option value="1" selected>One</option></select>'
    )
    assert forms.CheckboxInput().render("c", True) == '<input type="checkbox" name="c" checked>'


def test_clearable_file_input_shows_the_current_file() -> None:
    class Stored:
        url = "/media/cv.pdf"

        def __str__(self) -> str:
            return "cv.pdf"

    class Upload(forms.Form):
        cv = forms.FileField(required=False)

    html = str(Upload(initial={"cv": Stored()}).cv)
    assert 'Currently: <a href="/media/cv.pdf">cv.pdf</a>' in html
    assert '<input type="checkbox" name="cv-clear" id="cv-clear_id">' in html
    assert '<label for="cv-clear_id">Clear</label>' in html
    assert '<input type="file" name="cv" id="id_cv">' in html
    assert Upload().is_multipart()


def test_form_in_a_page_template_sync_and_async(template_dir: Path) -> None:
    (template_dir / "page.html").write_text(
        '<form method="post">{{ form }}</form>'
        "|{{ form.title }}|{{ form.title.label_tag() }}|{{ form.title.errors }}"
        "|{{ form['kind'].value() }}"
    )
    form = ArticleForm({"title": "", "kind": "blog"})
    html = render_to_string("page.html", {"form": form})
    assert '<form method="post">' in html
    assert html.count('<input type="text" name="title"') == 2
    assert '|<label for="id_title">Title:</label>|' in html
    assert '|<ul class="errorlist" id="id_title_error">' in html
    assert html.endswith("|blog")


async def test_form_renders_inside_an_async_page_render(template_dir: Path) -> None:
    (template_dir / "page.html").write_text("{{ form.as_div() }}")
    html = await arender_to_string("page.html", {"form": ArticleForm()})
    assert '<label for="id_title">Title:</label>' in html


def test_project_templates_override_the_built_in_ones(template_dir: Path) -> None:
    override = template_dir / "djanco" / "forms"
    (override / "widgets").mkdir(parents=True)
    (override / "field.html").write_text('<p class="custom">{{ field.label_tag() }}{{ field }}</p>')
    (override / "widgets" / "text.html").write_text(
        '<input class="custom-text" name="{{ widget.name }}">'
    )
    html = str(ArticleForm())
    assert '<p class="custom"><label for="id_title">Title:</label>' in html
    assert '<input class="custom-text" name="title">' in html


def test_per_form_and_per_field_templates(template_dir: Path) -> None:
    (template_dir / "compact.html").write_text(
        "{% for field, errors in fields %}[{{ field.name }}]{% endfor %}"
    )
    (template_dir / "row.html").write_text("ROW {{ field.name }}")

    class Compact(forms.Form):
        template_name = "compact.html"
        a = forms.CharField()
        b = forms.CharField(template_name="row.html")

    form = Compact()
    assert str(form) == "[a][b]"
    assert form.b.as_field_group() == "ROW b"
    assert form.render("row.html", {"field": form.a}) == "ROW a"


def test_form_templates_see_the_page_globals(template_dir: Path) -> None:
    override = template_dir / "djanco" / "forms"
    override.mkdir(parents=True)
    (override / "label.html").write_text('<a href="{{ static("help.html") }}">{{ label }}</a>')
    assert ArticleForm().title.label_tag() == '<a href="/static/help.html">Title:</a>'
