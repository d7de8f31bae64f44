from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice

from ..forms import BaseForm


class LanguageForm(BaseForm):
    lang = SelectField(
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]
    )
    next = HiddenField()
