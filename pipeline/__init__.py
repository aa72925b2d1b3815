"""ocr-repair: find and repair the damage that PDF extraction and OCR leave in articles.

>>> from pipeline import clean_text
>>> clean_text("the Kerry-Lavrov agreement inBGeneva onBCessation ofBHostilities").text
'the Kerry-Lavrov agreement in Geneva on Cessation of Hostilities'
>>> clean_text("One glyph alone is not evidence: inBGeneva").text
'One glyph alone is not evidence: inBGeneva'
"""

from .config import Config, config_from_mapping
from .edits import Edit, apply_edits, revert_edits
from .repair import Cleaned, clean_text

__version__ = "0.1.0"

__all__ = [
    "Cleaned",
    "Config",
    "Edit",
    "apply_edits",
    "clean_text",
    "config_from_mapping",
    "revert_edits",
    "__version__",
]
