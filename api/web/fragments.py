"""Les composants govuk rendus une fois par processus : `fragment("select", params)` dans un gabarit.

Un composant govuk-frontend-jinja est une fonction pure de ses paramètres (ses macros ne lisent ni la requête, ni
la session, ni la base). Le HTML rendu est donc gardé en mémoire, rangé sous la valeur COMPLÈTE des paramètres
(gelée : dictionnaires, listes, textes, nombres, booléens, None, Undefined, Markup, chacun avec son type) : des
paramètres qui diffèrent en quoi que ce soit (une option, le choix courant, un message d'erreur, un texte
saisi) sont une autre entrée. Rien n'est donc jamais servi d'une autre requête que ce que le composant aurait
rendu pour celle-ci. Des paramètres qu'on ne sait pas geler (un objet quelconque) sont rendus sans mémoire.

La mémoire est bornée (les entrées les plus anciennement servies partent d'abord) : au plus `ENTREES` entrées
et `CARACTERES` caractères de HTML.

    {{ fragment('select', {'id': 'epci', 'name': 'epci', 'items': options.epci, ...}) }}
    {{ fragment('_macros.html:date_saisie', {...}) }}      {# a macro of our own, pure as well #}
"""
import threading
from collections import OrderedDict
from typing import Any, Callable

from jinja2 import Environment, Undefined
from markupsafe import Markup

ENTREES = 2048
CARACTERES = 4_000_000  # about the HTML of 200 whole filter forms: a few megabytes at most per process
_SCALAIRES = (int, float, bool, type(None))


def geler(valeur: Any) -> Any:
    """Une clé hashable qui ne confond pas deux paramètres rendus différemment (True et 1, None et Undefined,
    un texte et le même en Markup, l'ordre des clés d'un dictionnaire). TypeError pour un type inconnu."""
    # Plain texts (most leaves) are kept as they are, tested inline: half the calls on a list of 100 options.
    if type(valeur) is str:
        return valeur
    if isinstance(valeur, dict):
        return (dict, tuple((k, v if type(v) is str else geler(v)) for k, v in valeur.items()))
    if isinstance(valeur, (list, tuple)):
        return (list, tuple(v if type(v) is str else geler(v) for v in valeur))
    if isinstance(valeur, Markup):
        return (Markup, str(valeur))
    if isinstance(valeur, Undefined):
        return (type(valeur),)
    if type(valeur) in _SCALAIRES:
        return (type(valeur), valeur)
    raise TypeError(f"paramètre d'un type non gelé : {type(valeur).__name__}")


def _nom_de_macro(composant: str) -> tuple[str, str]:
    """« date-input » → le gabarit du composant govuk et sa macro govukDateInput ; « fichier.html:macro » → tel quel."""
    if ":" in composant:
        gabarit, macro = composant.split(":", 1)
        return gabarit, macro
    return (f"govuk_frontend_jinja/components/{composant}/macro.html",
            "govuk" + "".join(mot.capitalize() for mot in composant.split("-")))


class Fragments:
    """Le rendu mémorisé des composants d'un environnement Jinja (une instance par environnement)."""

    def __init__(self, env: Environment, entrees: int = ENTREES, caracteres: int = CARACTERES):
        self.env, self.entrees, self.caracteres = env, entrees, caracteres
        self._memoire: OrderedDict[Any, Markup] = OrderedDict()
        self._taille = 0
        self._verrou = threading.Lock()
        self.rendus = 0  # how many renders the memory did not spare (for the tests)

    def _macro(self, composant: str) -> Callable[[dict], Markup]:
        gabarit, macro = _nom_de_macro(composant)
        return getattr(self.env.get_template(gabarit).module, macro)

    def __call__(self, composant: str, params: dict) -> Markup:
        try:
            cle = (composant, geler(params))
        except TypeError:
            self.rendus += 1
            return self._macro(composant)(params)
        with self._verrou:
            html = self._memoire.get(cle)
            if html is not None:
                self._memoire.move_to_end(cle)
                return html
        html = Markup(self._macro(composant)(params))
        self.rendus += 1
        with self._verrou:
            if cle not in self._memoire:
                self._memoire[cle] = html
                self._taille += len(html)
            while len(self._memoire) > self.entrees or self._taille > self.caracteres:
                _, ancien = self._memoire.popitem(last=False)
                self._taille -= len(ancien)
        return html
