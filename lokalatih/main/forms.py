from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice


class LanguageForm(FlaskForm):
    lang = SelectField(
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]
    )
    next = HiddenField()
