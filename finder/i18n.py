"""English and Spanish: which language a page is in, and how its words and numbers are shown.

The language is `lang=es|en` in the URL when the visitor chose one (the switch in every page's
header), else the browser's Accept-Language, else English. It is never kept in a cookie: a
chosen `lang` is carried in every link the page makes (`url_for`), in its forms, and through
the search form's redirect; every response says `Vary: Accept-Language`. The admin area is
English only.

Strings are translated with gettext catalogs (translations/<lang>/LC_MESSAGES/messages.po,
compiled by scripts/install). The estimator's sentences are `Text`s (finder.estimator.text):
`say` translates their message ids and formats their parameters for the locale, here, so that
the estimator stays free of Flask and Babel.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_currency
from flask import Flask, has_request_context, request
from flask_babel import Babel, get_translations
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from werkzeug.exceptions import MethodNotAllowed, NotFound

from .estimator.text import Cents, Day, Join, Text, WholeDollars

# The languages, by URL value: the Babel locale used for words, numbers and dates. es_US
# writes dollars as U.S. Spanish speakers read them ("$14,835", not "US$14,835").
LANGUAGES = {"en": "en_US", "es": "es_US"}
NAMES = {"en": "English", "es": "Español"}
ENGLISH_ONLY = ("admin", "auth")  # blueprints that stay English (the README says so)
# Pages answering a POST that may be posted again to switch language: they only compute.
REPOSTABLE = {"estimate.result", "estimate.change"}


def init_app(app: Flask) -> None:
    from . import ROOT

    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en_US")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "translations"))
    Babel(app, locale_selector=_locale)
    app.url_defaults(_carry_lang)
    app.after_request(_vary)
    app.add_template_global(lang)
    app.add_template_global(chosen_lang)
    app.add_template_global(switch_links)
    app.add_template_filter(say, "say")
    # Templates look words up through `translate`, newstyle (as Flask-Babel installs them: a
    # `trans` block and `_()` format their values themselves). The callables go in as plain
    # globals rather than Jinja's context-passing wrappers: a page says a few hundred words,
    # and the wrappers cost more than the lookups. Every template is HTML (autoescaped): the
    # catalog's text is markup, the values put in are escaped.
    app.jinja_env.install_gettext_callables(translate, translate_plural, newstyle=True)
    app.jinja_env.globals.update(gettext=_page_gettext, _=_page_gettext, ngettext=_page_ngettext)


def lang() -> str:
    """The page's language: "en" or "es" (its `lang` attribute). Worked out once a request: a
    page asks it for each of its few hundred words."""
    if not has_request_context():
        return "en"
    known = getattr(request, "finder_lang", None)
    if known is None:
        known = chosen_lang()
        if known is None:
            english = request.blueprint in ENGLISH_ONLY
            known = "en" if english else request.accept_languages.best_match(list(LANGUAGES), "en")
        request.finder_lang = known
    return known


def translate(message: str) -> str:
    """gettext for the page: English is the message itself; other languages from the catalog."""
    return message if lang() == "en" else _catalog().ugettext(message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    if lang() == "en":
        return singular if n == 1 else plural
    return _catalog().ungettext(singular, plural, n)


def _catalog():
    # The page's catalog, looked up once a request.
    catalog = getattr(request, "finder_catalog", None)
    if catalog is None:
        catalog = request.finder_catalog = get_translations()
    return catalog


def _page_gettext(message: str, **params) -> Markup:
    return Markup(translate(message)) % params


def _page_ngettext(singular: str, plural: str, num: int, **params) -> Markup:
    params.setdefault("num", num)
    return Markup(translate_plural(singular, plural, num)) % params


def gettext(message: str, **params) -> str:
    """Flask-Babel's gettext, through `translate`: the message in the page's language, with
    `params` put in when there are any."""
    text = translate(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, num: int, **params) -> str:
    """Flask-Babel's ngettext, through `translate_plural` (`num` is a parameter too)."""
    params.setdefault("num", num)
    return translate_plural(singular, plural, num) % params


class Lazy(LazyString):
    """A string looked up when shown, escaped in a page like a plain str (Flask-Babel's
    LazyString would go into the page unescaped)."""

    def __html__(self):
        return escape(str(self))


def lazy_gettext(message: str, **params) -> Lazy:
    """`gettext` when the string is shown (a module-level label, a form's choice)."""
    return Lazy(gettext, message, **params)


_ = gettext


def chosen_lang() -> str | None:
    """The language the URL asks for (`lang=es|en`), or None; never on English-only pages."""
    if not has_request_context() or request.blueprint in ENGLISH_ONLY:
        return None
    value = request.args.get("lang")
    return value if value in LANGUAGES else None


def _locale() -> str:
    return LANGUAGES[lang()]


def _carry_lang(endpoint: str, values: dict) -> None:
    # A chosen language goes into every URL the page makes, except static files'.
    chosen = chosen_lang()
    if chosen and endpoint != "static" and not endpoint.startswith(ENGLISH_ONLY):
        values.setdefault("lang", chosen)


def _vary(response):
    # Most responses carry no Vary yet: set the header as it is, without parsing it into a
    # HeaderSet and writing it back (Werkzeug's `response.vary`), which is done otherwise.
    if "Vary" in response.headers:
        response.vary.add("Accept-Language")
    else:
        response.headers["Vary"] = "Accept-Language"
    return response


def switch_links() -> list[dict]:
    """The other languages' links to this page, its query kept: [{lang, name, href, fields}].
    An estimate's answer (a POST, so that income stays out of addresses) is asked again in the
    other language: `fields` are the answers, to post back from a button. Any other page
    answering a POST links to the same address by GET when there is one, else the home page."""
    if request.blueprint in ENGLISH_ONLY:
        return []
    here = lang()
    links = []
    for code, name in NAMES.items():
        if code == here:
            continue
        args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
        path, fields = request.path, None
        if request.method == "POST" and request.endpoint in REPOSTABLE:
            fields = list(request.form.items(multi=True))
        elif request.method != "GET" and not _gettable(path):
            path, args = "/", []
        href = path + "?" + urlencode([*args, ("lang", code)])
        links.append({"lang": code, "name": name, "href": href, "fields": fields})
    return links


def _gettable(path: str) -> bool:
    from flask import current_app

    try:
        current_app.url_map.bind("").match(path, method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    except Exception:  # a redirect or the like: the address exists
        return True
    return True


# ---- the estimator's sentences and the numbers in them ----


def say(value) -> str:
    """A `Text` (or a constant marked with N_) in the page's language, its numbers formatted for
    the locale; any other value as it is."""
    if value is None or value == "":
        return ""  # gettext("") is the catalog's header
    if isinstance(value, Text):
        if lang() == "en":
            return str(value)
        message = translate(value.msgid)
        if not value.params:
            return message
        return message % {name: _localized(v) for name, v in value.params.items()}
    if isinstance(value, str) and lang() != "en":
        return translate(value)
    return str(value)


def _localized(value):
    if isinstance(value, Text):
        return say(value)
    if isinstance(value, Join):
        return say(value.separator).join(say(item) for item in value)
    if isinstance(value, Cents):
        return money(int(value), cents=True)
    if isinstance(value, WholeDollars):
        return money(int(value))
    if isinstance(value, date):
        return long_date(value)
    return value


def money(value: int, cents: bool = False) -> str:
    """Cents as dollars for the page's locale: "$14,835" (rounded half up) or "$14,835.50"."""
    if lang() == "en":
        return str(Cents(value)) if cents else str(WholeDollars(value))
    locale = LANGUAGES[lang()]
    if cents:
        return format_currency(Decimal(value).scaleb(-2), "USD", locale=locale)
    whole = (value + 50) // 100
    return format_currency(whole, "USD", format="¤#,##0", currency_digits=False, locale=locale)


def long_date(day: date) -> str:
    """ "November 15, 2025" / "15 de noviembre de 2025"."""
    if lang() == "en":
        return str(Day.of(day))
    return format_date(day, "long", locale=LANGUAGES[lang()])
