"""Le statut de chaque financeur, tiré des constats selon une préséance qu'on peut expliquer.

Préséance (voir README) : le champ d'intervention d'abord (non_concerne), puis les
exclusions (exclu) ; une règle de champ ou d'exclusion encore inconnue empêche de
conclure (a_completer) ; sinon l'éligibilité ouvre la voie et la priorité la qualifie
(prioritaire = éligible ET prioritaire) ; une éligibilité inconnue donne a_completer ;
sans aucune voie ouverte, le financeur n'est pas concerné.
"""
from dataclasses import dataclass
from typing import Optional, Sequence

from rules.regle import Regle

RANG = {"prioritaire": 0, "eligible": 1, "a_completer": 2, "exclu": 3, "non_concerne": 4}


@dataclass(frozen=True)
class StatutFinanceur:
    financeur: str
    statut: str
    motifs: tuple[str, ...]
    montant_indicatif: Optional[dict]
    regles_decisives: tuple[int, ...]  # indices whose unknown value could still change this status


def statut_financeur(financeur: str, indices: Sequence[int], regles: Sequence[Regle],
                     resultats: Sequence[Optional[bool]]) -> StatutFinanceur:
    par_effet: dict[str, list[int]] = {}
    for i in indices:
        par_effet.setdefault(regles[i].effet, []).append(i)

    def vrais(effet: str) -> list[int]:
        return [i for i in par_effet.get(effet, []) if resultats[i] is True]

    def inconnus(*effets: str) -> list[int]:
        return [i for e in effets for i in par_effet.get(e, []) if resultats[i] is None]

    def ids(liste: list[int]) -> tuple[str, ...]:
        return tuple(regles[i].id for i in liste)

    for effet in ("non_concerne", "exclu"):
        if vrais(effet):
            return StatutFinanceur(financeur, effet, ids(vrais(effet)), None, ())
    bloquants = inconnus("non_concerne", "exclu")
    eligibles, eligibles_inconnus = vrais("eligible"), inconnus("eligible")
    voie_possible = bool(eligibles or eligibles_inconnus)
    if bloquants and voie_possible:
        statut, motifs = "a_completer", eligibles
        decisives = bloquants + eligibles_inconnus + inconnus("prioritaire")
    elif eligibles:
        prioritaires = vrais("prioritaire")
        statut = "prioritaire" if prioritaires else "eligible"
        motifs, decisives = eligibles + prioritaires, ([] if prioritaires else inconnus("prioritaire"))
    elif eligibles_inconnus:
        statut, motifs = "a_completer", []
        decisives = eligibles_inconnus + inconnus("prioritaire")
    else:
        return StatutFinanceur(financeur, "non_concerne", (), None, ())
    montant = _bande([regles[i].montant for i in vrais("montant")])
    return StatutFinanceur(financeur, statut, ids(motifs), montant, tuple(decisives) + tuple(inconnus("montant")))


def _bande(bandes: list[Optional[dict]]) -> Optional[dict]:
    """Plusieurs bandes se cumulent en leur intersection : chaque texte borne le montant."""
    bandes = [b for b in bandes if b]
    if not bandes:
        return None
    return {"min": max(b["min"] for b in bandes), "max": min(b["max"] for b in bandes)}
