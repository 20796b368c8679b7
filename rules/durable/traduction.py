"""Nos arbres de conditions et nos jointures traduits en règles durable-rules (des dict, que
session.py compile). Pur Python : n'importe pas durable-rules.

durable-rules est à deux valeurs : une règle est déclenchée si et seulement si sa condition est
vraie. La négation est poussée jusqu'aux feuilles (De Morgan), où un champ absent fait échouer tout
test sauf « $nex » : après la négation, l'inconnu se lit donc faux, jamais vrai.
"""
from typing import Any, Callable

from rules.conditions import Noeud, Test
from rules.durable.codage import constante
from rules.jointures import Jointure, valeur_comparable

# One action message per rule and session, carrying up to CAP matches (unsigned short), instead
# of one engine round trip per match.
CAP = 65535


def lier(operateur: str, termes: list[dict]) -> dict:
    """$and / $or, flattened: nested same-kind groups would only cost more alpha nodes."""
    plats: list[dict] = []
    for t in termes:
        plats.extend(t[operateur] if set(t) == {operateur} else [t])
    return plats[0] if len(plats) == 1 else {operateur: plats}


def _valeurs(valeur: Any) -> list:
    return sorted(map(constante, valeur)) if isinstance(valeur, frozenset) else [constante(valeur)]


def _egal(cle: str, valeur: Any, nie: bool) -> dict:
    """est, parmi : la valeur est l'une des valeurs (niée : aucune d'elles)."""
    if nie:
        return lier("$and", [{"$neq": {cle: v}} for v in _valeurs(valeur)])
    return lier("$or", [{cle: v} for v in _valeurs(valeur)])


def _un_item(cle: str, valeur: Any, nie: bool) -> dict:
    """contient, contient_un_de : un item est l'une des valeurs (niée : aucun item ne l'est)."""
    if nie:
        return {"$iall": {cle: lier("$and", [{"$neq": {"$i": v}} for v in _valeurs(valeur)])}}
    return {"$iany": {cle: lier("$or", [{"$i": v} for v in _valeurs(valeur)])}}


def _contraire(traduire: Callable[[str, Any, bool], dict]) -> Callable[[str, Any, bool], dict]:
    return lambda cle, valeur, nie: traduire(cle, valeur, not nie)


def _ordre(operateur: str, operateur_nie: str) -> Callable[[str, Any, bool], dict]:
    return lambda cle, valeur, nie: {operateur_nie if nie else operateur: {cle: constante(valeur)}}


def _renseigne(cle: str, valeur: Any, nie: bool) -> dict:
    return {"$ex" if valeur != nie else "$nex": {cle: 1}}


# Each operator of rules.conditions.OPERATEURS: (short field name, value, negated) -> expression.
TRADUCTIONS: dict[str, Callable[[str, Any, bool], dict]] = {
    "est": _egal,
    "different_de": _contraire(_egal),
    "parmi": _egal,
    "hors_de": _contraire(_egal),
    "contient": _un_item,
    "contient_un_de": _un_item,
    "ne_contient_aucun": _contraire(_un_item),
    "min": _ordre("$gte", "$lt"),
    "max": _ordre("$lte", "$gt"),
    "sup": _ordre("$gt", "$lte"),
    "inf": _ordre("$lt", "$gte"),
    "renseigne": _renseigne,
}


def expression(n: Noeud, noms: dict[str, str], nie: bool = False) -> dict:
    """L'expression durable d'une condition, les champs sous leurs noms courts (`noms`)."""
    if isinstance(n, Test):
        return TRADUCTIONS[n.operateur](noms[n.champ], n.valeur, nie)
    mode = n.mode
    if mode == "aucune":
        mode, nie = "au_moins_une", not nie
    conjonction = (mode == "toutes") != nie  # De Morgan
    return lier("$and" if conjonction else "$or", [expression(e, noms, nie) for e in n.enfants])


def regle(condition: dict) -> dict:
    """La règle durable d'une condition (son expression), sur un seul fait « m »."""
    return {"all": [{"m": condition}], "cap": CAP}


def champs_de(j: Jointure) -> list[str]:
    return [c for paire in j.egaux for c in paire] + [c for cote in j.filtres for c, _ in cote]


def regle_jointure(j: Jointure, noms: dict[str, str], constantes: dict) -> dict:
    """La règle durable d'une jointure : un fait « a » (gauche), un fait « b » (droit). Les valeurs
    sont des codes (voir jointures.py) : `constantes` code les sortes et les valeurs des filtres."""
    def egal(champ: str, valeur: Any) -> dict:
        return {noms[champ]: constantes[valeur_comparable(valeur)]}

    gauche = [egal("sorte", j.sortes[0]), *(egal(c, v) for c, v in j.filtres[0])]
    gauche += [{"$ex": {noms[c]: 1}} for c in dict.fromkeys(g for g, _ in j.egaux)]
    # This ordering against the other fact reports each unordered pair once (a before b) and never
    # joins a fact with itself. It must come first in its $and: after any other test, the engine
    # segfaults on the first assert. And not on "id", which the engine compares as text (10 < 2).
    droite = [{"$gt": {"n": {"a": "n"}}}] if j.meme_sorte else []
    droite += [egal("sorte", j.sortes[1]), *(egal(c, v) for c, v in j.filtres[1])]
    droite += [{"$ex": {noms[c]: 1}} for c in dict.fromkeys(d for _, d in j.egaux)]
    droite += [{noms[d]: {"a": noms[g]}} for g, d in j.egaux]
    return {"all": [{"a": lier("$and", gauche)}, {"b": lier("$and", droite)}], "cap": CAP}
