"""L'arbre des conditions d'une règle et sa logique à trois valeurs (vrai, faux, inconnu).

`None` représente l'inconnu : une condition sur un champ inconnu est inconnue, et
« toutes » / « au moins une » / « aucune » suivent la logique de Kleene.
"""
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional, Union

from rules.champs import CHAMPS, Champ

COMBINAISONS = ("toutes", "au_moins_une", "aucune")
OPERATEURS = (
    "est", "different_de", "parmi", "hors_de", "contient", "contient_un_de", "ne_contient_aucun",
    "min", "max", "sup", "inf", "renseigne",
)
_SUR_LISTE = ("contient", "contient_un_de", "ne_contient_aucun")
_ORDRE = ("min", "max", "sup", "inf")
_ATTEND_LISTE = ("parmi", "hors_de", "contient_un_de", "ne_contient_aucun")


@dataclass(frozen=True)
class Test:
    champ: str
    operateur: str
    valeur: Any

    def champs(self) -> tuple[str, ...]:
        return (self.champ,)

    def feuilles(self) -> tuple["Test", ...]:
        return (self,)


@dataclass(frozen=True)
class Combinaison:
    mode: str  # toutes, au_moins_une, aucune
    enfants: tuple["Noeud", ...]

    def champs(self) -> tuple[str, ...]:
        vus: dict[str, None] = {}
        for enfant in self.enfants:
            vus.update(dict.fromkeys(enfant.champs()))
        return tuple(vus)

    def feuilles(self) -> tuple[Test, ...]:
        """Les tests, dans l'ordre où l'évaluation les parcourt (doublons compris)."""
        return tuple(t for enfant in self.enfants for t in enfant.feuilles())


Noeud = Union[Test, Combinaison]


class ConditionInvalide(ValueError):
    pass


def lire_condition(brut: Any) -> Noeud:
    """Transforme le YAML d'une condition en arbre ; lève ConditionInvalide avec un message clair."""
    if not isinstance(brut, dict) or not brut:
        raise ConditionInvalide("une condition est un objet non vide, ex. {projet.nature: investissement}")
    enfants = [_lire_entree(cle, valeur) for cle, valeur in brut.items()]
    return enfants[0] if len(enfants) == 1 else Combinaison("toutes", tuple(enfants))


def _lire_entree(cle: str, valeur: Any) -> Noeud:
    if cle in COMBINAISONS:
        if not isinstance(valeur, list) or not valeur:
            raise ConditionInvalide(f"« {cle} » attend une liste non vide de conditions")
        return Combinaison(cle, tuple(lire_condition(v) for v in valeur))
    definition = CHAMPS.get(cle)
    if definition is None:
        raise ConditionInvalide(f"champ inconnu « {cle} » : le contrat n'a pas ce champ")
    if isinstance(valeur, dict):
        if len(valeur) != 1:
            raise ConditionInvalide(f"{cle} : un test a un seul opérateur, reçu {sorted(valeur)}")
        operateur, attendu = next(iter(valeur.items()))
    else:
        operateur, attendu = ("contient" if definition.est_liste else "est"), valeur
    return _verifier_test(definition, str(operateur), attendu)


def _verifier_test(definition: Champ, operateur: str, attendu: Any) -> Test:
    nom = definition.nom
    if operateur not in OPERATEURS:
        raise ConditionInvalide(f"{nom} : opérateur inconnu « {operateur} » ; possibles : {', '.join(OPERATEURS)}")
    if operateur == "renseigne":
        if not isinstance(attendu, bool):
            raise ConditionInvalide(f"{nom} : « renseigne » attend true ou false")
        return Test(nom, operateur, attendu)
    if (operateur in _SUR_LISTE) != definition.est_liste:
        raise ConditionInvalide(f"{nom} : l'opérateur « {operateur} » ne s'applique pas à ce champ")
    if operateur in _ORDRE and definition.nature not in ("nombre", "date"):
        raise ConditionInvalide(f"{nom} : « {operateur} » compare des nombres ou des dates")
    if operateur in _ATTEND_LISTE:
        if not isinstance(attendu, list) or not attendu:
            raise ConditionInvalide(f"{nom} : « {operateur} » attend une liste de valeurs")
        valeurs = tuple(_valeur(definition, v) for v in attendu)
        return Test(nom, operateur, frozenset(valeurs))
    return Test(nom, operateur, _valeur(definition, attendu))


def _valeur(definition: Champ, v: Any) -> Any:
    nature = definition.nature
    if nature in ("enum", "enum_liste"):
        if v not in definition.valeurs:
            raise ConditionInvalide(
                f"{definition.nom} : valeur « {v} » inconnue ; possibles : {', '.join(definition.valeurs)}")
        return v
    if nature == "booleen" and not isinstance(v, bool):
        raise ConditionInvalide(f"{definition.nom} : attend true ou false, reçu « {v} »")
    if nature == "nombre" and (isinstance(v, bool) or not isinstance(v, (int, float))):
        raise ConditionInvalide(f"{definition.nom} : attend un nombre, reçu « {v} »")
    if nature == "date":
        try:
            return v if isinstance(v, date) else date.fromisoformat(str(v))
        except ValueError:
            raise ConditionInvalide(f"{definition.nom} : date invalide « {v} » (AAAA-MM-JJ)") from None
    if nature == "texte" and not isinstance(v, str):
        raise ConditionInvalide(f"{definition.nom} : attend un texte, reçu « {v} »")
    return v


def tester(test: Test, valeur: Any) -> Optional[bool]:
    """Évalue un test sur une valeur ; None si la valeur est inconnue."""
    op, attendu = test.operateur, test.valeur
    if op == "renseigne":
        return (valeur is not None) == attendu
    if valeur is None:
        return None
    if op == "est":
        return valeur == attendu
    if op == "different_de":
        return valeur != attendu
    if op == "parmi":
        return valeur in attendu
    if op == "hors_de":
        return valeur not in attendu
    if op == "contient":
        return attendu in valeur
    if op == "contient_un_de":
        return any(v in attendu for v in valeur)
    if op == "ne_contient_aucun":
        return not any(v in attendu for v in valeur)
    if op == "min":
        return valeur >= attendu
    if op == "max":
        return valeur <= attendu
    if op == "sup":
        return valeur > attendu
    if op == "inf":
        return valeur < attendu
    raise ValueError(f"opérateur inconnu « {op} »")  # the loader refuses it first; never guess a meaning


def combiner(mode: str, resultats: list[Optional[bool]]) -> Optional[bool]:
    if mode == "toutes":
        return False if False in resultats else (None if None in resultats else True)
    un = True if True in resultats else (None if None in resultats else False)
    if mode == "au_moins_une":
        return un
    return None if un is None else not un  # aucune


@dataclass(frozen=True)
class Trace:
    """Le détail d'une évaluation : chaque test, la valeur lue et son résultat."""
    resultat: Optional[bool]
    tests: tuple[tuple[Test, Any, Optional[bool]], ...]

    def inconnus(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.champ for t, _, r in self.tests if r is None))


def evaluer(noeud: Noeud, faits: dict[str, Any]) -> Trace:
    tests: list = []

    def visite(n: Noeud) -> Optional[bool]:
        if isinstance(n, Test):
            valeur = faits.get(n.champ)
            r = tester(n, valeur)
            tests.append((n, valeur, r))
            return r
        return combiner(n.mode, [visite(e) for e in n.enfants])

    return Trace(visite(noeud), tuple(tests))
