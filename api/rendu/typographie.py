"""La typographie française des textes imprimés : une espace insécable à l'intérieur des guillemets
(« … ») et avant « : ; ! ? ». Appliquée à tout ce qu'un gabarit affiche (`finalize` de Jinja), pour que
les messages des règles, écrits au clavier, s'impriment comme un document de la Région."""
import re

from markupsafe import Markup

_ESPACE = "\u00a0"
_FINE = "\u202f"
_AVANT = re.compile(r"[ \u00a0]*([;!?])")  # a narrow no-break space before ; ! ?
_DEUX_POINTS = re.compile(r"(?<=\S)[ \u00a0]*:(?=\s)")  # « mot : », not a time or an address (10:30, https://)
_OUVRANT = re.compile(r"«[ \u00a0]*")
_FERMANT = re.compile(r"[ \u00a0]*»")


def typographie(valeur):
    # Markup is already-rendered HTML (a macro's output): its own expressions went through here.
    if not isinstance(valeur, str) or not valeur or isinstance(valeur, Markup):
        return valeur
    texte = _OUVRANT.sub("«" + _ESPACE, valeur)
    texte = _FERMANT.sub(_ESPACE + "»", texte)
    texte = _DEUX_POINTS.sub(_ESPACE + ":", texte)
    return _AVANT.sub(lambda m: _FINE + m.group(1), texte)
