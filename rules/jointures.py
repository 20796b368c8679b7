"""Les jointures entre faits d'une même séance (le comité technique examine ses dossiers ensemble).

Une jointure relie un fait « gauche » et un fait « droit » de sortes données dont certains champs
sont égaux, par exemple deux dossiers du même porteur. Un fait est un dict plat : « sorte » (texte)
et des champs dont la valeur est un texte, un booléen, un nombre ou None. Un champ inconnu (None ou
absent) ne joint jamais : deux SIREN inconnus ne sont pas « le même SIREN ».

`paires_python` est la sémantique de référence ; l'adaptateur durable-rules doit rendre exactement
la même chose.
"""
import math
from dataclasses import dataclass
from typing import Any, Optional, Sequence

Filtres = tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]


def valeur_comparable(v: Any) -> Optional[tuple[str, Any]]:
    """La clé d'égalité d'une valeur, ou None si elle est inconnue (elle ne joint alors jamais).

    Les nombres se comparent numériquement (180000 == 180000.0), mais jamais à un texte ni à un
    booléen : Python tient True pour égal à 1, pas un comité.
    """
    if v is None:
        return None
    t = type(v)
    if t is str:
        return ("texte", v)
    if t is bool:
        return ("booleen", v)
    if t is int:
        return ("nombre", v)
    if t is float:
        return None if math.isnan(v) else ("nombre", v)  # NaN is equal to nothing, not even itself
    raise TypeError(f"valeur de type {t.__name__} non comparable dans une jointure : {v!r}")


@dataclass(frozen=True)
class Jointure:
    """Les paires (gauche, droite) des sortes données dont les champs `egaux` sont égaux et connus.

    Quand les deux sortes sont les mêmes, chaque paire non ordonnée est rendue une fois, (i, j)
    avec i < j, et un fait ne se joint jamais à lui-même ; la jointure doit alors être symétrique.
    """
    id: str
    sortes: tuple[str, str]
    egaux: tuple[tuple[str, str], ...]
    filtres: Filtres = ((), ())

    def __post_init__(self):
        # Lists are accepted (a spec read from YAML), but stored as tuples: jointures are hashable.
        poser = object.__setattr__
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"jointure sans identifiant : {self.id!r}")
        try:
            poser(self, "sortes", tuple(self.sortes))
            poser(self, "egaux", tuple(tuple(e) for e in self.egaux))
            poser(self, "filtres", tuple(tuple(tuple(f) for f in cote) for cote in self.filtres))
        except TypeError:
            raise ValueError(f"jointure {self.id} : sortes, égalités et filtres sont des suites") from None
        if len(self.sortes) != 2 or not all(isinstance(g, str) and g for g in self.sortes):
            raise ValueError(f"jointure {self.id} : il faut deux sortes (gauche, droite), reçu {self.sortes!r}")
        if not self.egaux:
            raise ValueError(f"jointure {self.id} : il faut au moins une égalité entre champs")
        for paire in self.egaux:
            if len(paire) != 2 or not all(isinstance(c, str) and c for c in paire):
                raise ValueError(f"jointure {self.id} : égalité (champ gauche, champ droit) attendue, reçu {paire!r}")
        if len(self.filtres) != 2:
            raise ValueError(f"jointure {self.id} : il faut des filtres pour chaque côté (gauche, droite)")
        for cote in self.filtres:
            for filtre in cote:
                if len(filtre) != 2 or not isinstance(filtre[0], str) or not filtre[0]:
                    raise ValueError(f"jointure {self.id} : filtre (champ, valeur) attendu, reçu {filtre!r}")
                try:
                    connue = valeur_comparable(filtre[1]) is not None
                except TypeError:
                    connue = False
                if not connue:  # a filter on an unknown value would never hold
                    raise ValueError(f"jointure {self.id} : valeur de filtre invalide pour {filtre[0]} : "
                                     f"{filtre[1]!r} (texte, booléen ou nombre attendu)")
        if self.meme_sorte and _miroir(self) != _forme(self):
            # Reported as (i, j) with i < j, an asymmetric self-join would depend on the order of facts.
            raise ValueError(f"jointure {self.id} : entre deux faits de la même sorte, les égalités et les "
                             "filtres doivent être symétriques (les mêmes en échangeant gauche et droite)")

    @property
    def meme_sorte(self) -> bool:
        return self.sortes[0] == self.sortes[1]


def verifier_identifiants(jointures: Sequence[Jointure]) -> None:
    vus: set[str] = set()
    for j in jointures:
        if j.id in vus:
            raise ValueError(f"jointure {j.id} en double : les résultats sont rendus par identifiant")
        vus.add(j.id)


def _filtres_comparables(cote: tuple[tuple[str, Any], ...]) -> frozenset:
    return frozenset((champ, valeur_comparable(v)) for champ, v in cote)


def _forme(j: Jointure) -> tuple:
    return frozenset(j.egaux), _filtres_comparables(j.filtres[0]), _filtres_comparables(j.filtres[1])


def _miroir(j: Jointure) -> tuple:
    return frozenset((d, g) for g, d in j.egaux), _filtres_comparables(j.filtres[1]), _filtres_comparables(j.filtres[0])


def _candidats(faits: Sequence[dict[str, Any]], sorte: str, filtres, champs: Sequence[str]):
    """(indice, clé) des faits de cette sorte qui passent les filtres et dont les champs sont tous connus."""
    attendus = [(champ, valeur_comparable(v)) for champ, v in filtres]
    for i, fait in enumerate(faits):
        if fait.get("sorte") != sorte:
            continue
        if any(valeur_comparable(fait.get(champ)) != cle for champ, cle in attendus):
            continue
        cle = tuple(valeur_comparable(fait.get(champ)) for champ in champs)
        if None not in cle:
            yield i, cle


def paires_python(jointures: Sequence[Jointure], faits: Sequence[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    """Pour chaque jointure, les paires triées (indice du fait gauche, indice du fait droit)."""
    verifier_identifiants(jointures)
    resultat: dict[str, list[tuple[int, int]]] = {}
    for j in jointures:
        gauches, droits = zip(*j.egaux)
        par_cle: dict[tuple, list[int]] = {}
        for i, cle in _candidats(faits, j.sortes[1], j.filtres[1], droits):
            par_cle.setdefault(cle, []).append(i)
        paires = [(i, k) for i, cle in _candidats(faits, j.sortes[0], j.filtres[0], gauches)
                  for k in par_cle.get(cle, ()) if not j.meme_sorte or i < k]
        resultat[j.id] = sorted(paires)
    return resultat
