"""Translations: Chinese is the source language; English is the first translation.

Catalogues are gettext `.po` files under zhengwu/locale/<lang>/LC_MESSAGES/messages.po (extract with
`pybabel extract`, edit, done). They are compiled in memory at first use with Babel, so there is no build step.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "zh" or not po.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def gettext_for(lang: str):  # noqa: ANN201 - returns a plain callable
    return translations(lang if lang in LANGUAGES else "zh").gettext
