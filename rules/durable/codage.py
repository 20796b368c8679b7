"""Les valeurs écrites pour durable-rules : du JSON que son analyseur lit, et des valeurs qu'il compare
comme Python. Pur Python : n'importe pas durable-rules.

Son analyseur ne connaît pas l'exposant (« 1e-05 ») ; il lit les entiers avec atol (saturés à 2**63)
et les compare comme des doubles, exacts jusqu'à 2**53 seulement ; une date lui est un entier (le jour
ordinal) ; une liste vide fait échouer son « allItems ».

Les jointures : le moteur cherche les partenaires d'une jointure dans un index haché par l'empreinte
FNV-1a (32 bits) du texte de la valeur, et deux valeurs *différentes* de même empreinte dans une
session le font planter (segfault) : vu avec 0.3 et 0.30000000000000004, et avec deux textes construits
pour se heurter. Son égalité n'est pas non plus celle de Python : 1 == "1" et True == "true" se
joignent, 180000 et 180000.0 non. Aucune valeur d'un fait joint n'est donc envoyée : chaque valeur
comparable distincte (rules.jointures.valeur_comparable) devient un code, le texte décimal d'un petit
entier, et le moteur ne compare jamais que des codes. Les textes décimaux sous CODES_SURS ont des
empreintes FNV-1a deux à deux distinctes (un test unitaire le recalcule).
"""
import json
import math
from datetime import date
from decimal import Decimal
from typing import Any, Optional, Sequence

from rules.durable.erreurs import ErreurMoteurDurable
from rules.jointures import valeur_comparable

# The engine reads integers with atol (saturating at 2**63) and compares them with doubles,
# which hold integers exactly only up to 2**53: past that, its answers could differ from Python's.
ENTIER_MAX = 2 ** 53
# Lists are sent with this extra first item: the engine's allItems is false on an empty list,
# and "" is never a value of an enum list.
ITEM_NEUTRE = ""
CODES_SURS = 797_186  # str(40189) and str(797186) are the first two with the same FNV-1a hash


def constante(v: Any) -> Any:
    """Une constante d'un ruleset : une date devient son jour ordinal, comme dans les faits."""
    return v.toordinal() if isinstance(v, date) else v


class Brut(str):
    """Un nombre déjà écrit en JSON, que json.dumps écrirait avec un exposant."""


def nombre(x: float) -> str:
    # The engine's parser knows no exponent: '1e-05' in a fact makes it return a garbage state
    # handle (then a segfault), and in a ruleset a parse error. Write every double positionally.
    if not math.isfinite(x):
        raise ErreurMoteurDurable(f"nombre non fini « {x} » : durable-rules ne sait pas le lire")
    texte = repr(x)
    if "e" in texte:
        texte = format(Decimal(texte), "f")
    return Brut(texte if "." in texte else texte + ".0")  # no dot: an integer, which saturates


def json_ruleset(x: Any) -> str:
    """Le JSON d'une définition de ruleset : comme dumps, mais sans exposant."""
    if isinstance(x, dict):
        return "{" + ",".join(f"{json_ruleset(k)}:{json_ruleset(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ",".join(map(json_ruleset, x)) + "]"
    if type(x) is float:
        return nombre(x)
    if type(x) is int and abs(x) > ENTIER_MAX:
        raise ErreurMoteurDurable(f"entier trop grand « {x} » : durable-rules le comparerait mal")
    return json.dumps(x, ensure_ascii=False)


def dumps(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))  # the same text as json_ruleset


def valeur(champ: str, v: Any) -> Any:
    """La valeur à envoyer (un Brut si json.dumps l'écrirait mal) ; lève si intransmissible."""
    t = type(v)
    if t is float:
        return v if 1e-4 <= abs(v) < 1e16 or v == 0.0 else nombre(v)  # where repr has no exponent
    if t is int:
        if abs(v) > ENTIER_MAX:
            raise ErreurMoteurDurable(f"{champ} : entier trop grand « {v} » pour durable-rules")
        return v
    if isinstance(v, date):
        return v.toordinal()
    if isinstance(v, (list, tuple, set, frozenset)):
        try:
            "".join(v)  # only strings: a float item could be written 1e-05
        except TypeError:
            raise ErreurMoteurDurable(f"{champ} : liste de textes attendue, reçu {v!r}") from None
        return [ITEM_NEUTRE, *v]
    raise ErreurMoteurDurable(f"{champ} : valeur de type {t.__name__} intransmissible à durable-rules")


def texte_du_lot(lot: Sequence[dict], champs: Sequence[tuple[str, str]], sid: str, premier: dict) -> str:
    """Le JSON des faits d'un lot : `premier` (le fait témoin de la session), puis un fait par dict du
    lot, d'« id » son rang, qui porte chaque champ lu (nom, nom court) connu ; un champ inconnu est absent."""
    faits: list[dict[str, Any]] = [premier]
    bruts: dict[int, str] = {}  # fact -> ',"c<k>":<number>' pieces json.dumps cannot write
    for n, source in enumerate(lot, 1):
        fait: dict[str, Any] = {"id": n - 1, "sid": sid}  # "id" first: the reader of matches reads it there
        for champ, cle in champs:
            v = source.get(champ)
            if v is None:
                continue  # an unknown field is absent, and every test on it is false
            t = type(v)
            if t is not str and t is not bool and not (t is float and 1e-4 <= abs(v) < 1e16):
                v = valeur(champ, v)
                if type(v) is Brut:
                    bruts[n] = bruts.get(n, "") + f',"{cle}":{v}'
                    continue
            fait[cle] = v
        faits.append(fait)
    if not bruts:
        return dumps(faits)
    # The engine does not care about the order of facts: the few with a hand-written number
    # go last, so that json.dumps still writes all the others in one call.
    speciaux = [dumps(faits[n])[:-1] + morceaux + "}" for n, morceaux in bruts.items()]
    normaux = dumps([f for n, f in enumerate(faits) if n not in bruts])
    return ",".join([normaux[:-1], *speciaux]) + "]"


def texte_de_la_seance(faits: Sequence[dict[str, Any]], champs: Sequence[tuple[str, str]], sortes: frozenset,
                       constantes: dict, sid: str, premier: dict) -> Optional[str]:
    """Le JSON des faits d'une séance à joindre, chaque valeur remplacée par son code (`constantes`
    d'abord, puis les valeurs dans l'ordre de rencontre) ; `premier` (le témoin) en tête ; None si
    aucun fait n'est de l'une des `sortes`."""
    codes = dict(constantes)
    envoyes: list[dict[str, Any]] = [premier]
    for n, fait in enumerate(faits):
        sorte = fait.get("sorte")
        if type(sorte) is not str or sorte not in sortes:
            continue  # it can join nothing: not sending it spares the engine
        # "id" first: the reader of pairs reads it there. "n" is the same index, for the ordering test.
        code: dict[str, Any] = {"id": n, "sid": sid, "n": n}
        for champ, cle in champs:
            try:
                v = valeur_comparable(fait.get(champ))
            except TypeError as exc:
                raise ErreurMoteurDurable(f"{champ} : {exc}") from None
            if v is None:
                continue  # unknown: absent, so that "$ex" fails and the fact joins nothing
            if v not in codes:
                if len(codes) == CODES_SURS:
                    raise ErreurMoteurDurable(f"plus de {CODES_SURS} valeurs distinctes dans une séance")
                codes[v] = str(len(codes))
            code[cle] = codes[v]
        envoyes.append(code)
    return dumps(envoyes) if len(envoyes) > 1 else None
