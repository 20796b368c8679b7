"""Le statut de chaque financeur, tiré des constats selon une préséance qu'on peut expliquer.

Préséance (voir README) : le champ d'intervention d'abord (non_concerne), puis les
exclusions (exclu) ; une règle « a_completer » vraie laisse la question ouverte (a_completer) ;
une règle de champ, d'exclusion ou « a_completer » encore inconnue empêche de conclure
(a_completer) ; sinon l'éligibilité ouvre la voie et la priorité la qualifie
(prioritaire = éligible ET prioritaire) ; une éligibilité inconnue donne a_completer ;
sans aucune voie ouverte, le financeur n'est pas concerné.
"""
from dataclasses import dataclass
from typing import Optional, Sequence

from instruction.evaluation.resultat import Bande
from rules.regle import Regle

RANG = {"prioritaire": 0, "eligible": 1, "a_completer": 2, "exclu": 3, "non_concerne": 4}


@dataclass(frozen=True)
class StatutCalcule:
    financeur: str
    statut: str
    motifs: tuple[str, ...]
    montant_indicatif: Optional[Bande]
    regles_decisives: tuple[int, ...]  # indices whose unknown value could still change this status


def statut_financeur(financeur: str, par_effet: dict[str, list[int]], regles: Sequence[Regle],
                     resultats: Sequence[Optional[bool]]) -> StatutCalcule:
    """`par_effet` : les indices des règles de ce financeur, groupés par effet."""

    def partager(effet: str) -> tuple[list[int], list[int]]:
        vrais: list[int] = []
        inconnus: list[int] = []
        for i in par_effet.get(effet, ()):
            r = resultats[i]
            if r is True:
                vrais.append(i)
            elif r is None:
                inconnus.append(i)
        return vrais, inconnus

    def ids(liste: list[int]) -> tuple[str, ...]:
        return tuple(regles[i].id for i in liste)

    hors_champ, hors_champ_inconnus = partager("non_concerne")
    if hors_champ:
        return StatutCalcule(financeur, "non_concerne", ids(hors_champ), None, ())
    exclusions, exclusions_inconnues = partager("exclu")
    if exclusions:
        return StatutCalcule(financeur, "exclu", ids(exclusions), None, ())
    ouverts, ouverts_inconnus = partager("a_completer")
    bloquants = hors_champ_inconnus + exclusions_inconnues + ouverts_inconnus
    eligibles, eligibles_inconnus = partager("eligible")
    prioritaires, prioritaires_inconnus = partager("prioritaire")
    voie_possible = bool(eligibles or eligibles_inconnus)
    if ouverts:
        # The text leaves the outcome open: no rule may conclude in its place.
        statut, motifs = "a_completer", ouverts + eligibles
        decisives = hors_champ_inconnus + exclusions_inconnues
    elif bloquants and voie_possible:
        statut, motifs = "a_completer", eligibles
        decisives = bloquants + eligibles_inconnus + prioritaires_inconnus
    elif eligibles:
        statut = "prioritaire" if prioritaires else "eligible"
        motifs, decisives = eligibles + prioritaires, ([] if prioritaires else prioritaires_inconnus)
    elif eligibles_inconnus:
        statut, motifs = "a_completer", []
        decisives = eligibles_inconnus + prioritaires_inconnus
    else:
        return StatutCalcule(financeur, "non_concerne", (), None, ())
    montants, montants_inconnus = partager("montant")
    montant = _bande([regles[i].montant for i in montants])
    return StatutCalcule(financeur, statut, ids(motifs), montant, tuple(decisives + montants_inconnus))


def _bande(bandes: list[Optional[dict]]) -> Optional[Bande]:
    """Plusieurs bandes se cumulent en leur intersection : chaque texte borne le montant."""
    bandes = [b for b in bandes if b]
    if not bandes:
        return None
    bande = Bande(max(b["min"] for b in bandes), min(b["max"] for b in bandes))
    return bande if bande.min <= bande.max else None
