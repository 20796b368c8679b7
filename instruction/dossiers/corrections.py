"""Les corrections de l'instructeur : ce qu'il change au calcul, pourquoi, et ce qu'elles deviennent
quand le dossier est réévalué.

Une correction ne remplace jamais le calcul : l'avis montre les deux côte à côte. Elle survit
aux réévaluations ; si le nouveau calcul ne dit plus ce qu'il disait quand elle a été écrite,
elle est signalée « à revoir » au lieu d'être effacée ou appliquée en silence.
"""
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Optional

from forms.libelles import LIBELLES_AVIS, LIBELLES_STATUTS, NOMS_FINANCEURS
from forms.valeurs import AVIS, FINANCEURS, STATUTS
from instruction.erreurs import SaisieRefusee
from instruction.evaluation.assemblage import avis_de, orientation_de, reserve_de
from instruction.evaluation.resultat import Constat, Evaluation
from rules.regle import Source

STATUT = "statut"
AVIS_GENRE = "avis"
CONSTAT_AJOUTE = "constat_ajoute"
CONSTAT_ECARTE = "constat_ecarte"
GENRES = (STATUT, AVIS_GENRE, CONSTAT_AJOUTE, CONSTAT_ECARTE)
PRESENT, ABSENT = "present", "absent"


@dataclass(frozen=True)
class Correction:
    numero: int
    genre: str
    cible: Optional[str]  # the funder (statut, constat_ajoute), the rule (constat_ecarte), None (avis)
    valeur: str  # the corrected status or avis, or the text of an added finding
    valeur_calculee: Optional[str]  # what the computation said when the correction was written or last maintained
    justification: str
    auteur: str
    quand: datetime
    evaluation: int  # the number of the evaluation the instructor was reading
    a_revoir: bool = False
    motif_revue: str = ""
    retiree: bool = False
    retrait: str = ""  # who withdrew it and why

    @property
    def active(self) -> bool:
        return not self.retiree


def verifier(genre: str, cible: Optional[str], valeur: str, justification: str, evaluation: Evaluation,
             reference: Optional[str] = None) -> None:
    """Refuse une correction incomplète ou hors des valeurs permises, en nommant le champ."""
    def refus(champ: str, message: str) -> SaisieRefusee:
        return SaisieRefusee(champ, message, reference)

    if genre not in GENRES:
        raise refus("genre", f"« {genre} » inconnu ; possibles : {', '.join(GENRES)}")
    if not justification or not justification.strip():
        raise refus("justification", "une correction exige une justification écrite")
    if genre == STATUT:
        if cible not in FINANCEURS:
            raise refus("financeur", f"« {cible} » inconnu ; possibles : {', '.join(FINANCEURS)}")
        if valeur not in STATUTS:
            raise refus("valeur", f"statut « {valeur} » inconnu ; possibles : {', '.join(STATUTS)}")
    elif genre == AVIS_GENRE:
        if valeur not in AVIS:
            raise refus("valeur", f"avis « {valeur} » inconnu ; possibles : {', '.join(AVIS)}")
    elif genre == CONSTAT_AJOUTE:
        if cible is not None and cible not in FINANCEURS:
            raise refus("financeur", f"« {cible} » inconnu ; possibles : {', '.join(FINANCEURS)} ou aucun")
        if not valeur or not valeur.strip():
            raise refus("valeur", "le constat ajouté a besoin d'un texte")
    elif not any(c.regle == cible for c in evaluation.constats):
        presents = ", ".join(c.regle for c in evaluation.constats) or "aucun"
        raise refus("regle", f"« {cible} » n'est pas un constat de la dernière évaluation ; constats : {presents}")
    if genre in (STATUT, AVIS_GENRE) and valeur == valeur_calculee(genre, cible, evaluation):
        raise refus("valeur", f"le calcul donne déjà « {valeur} » : rien à corriger")


def valeur_calculee(genre: str, cible: Optional[str], evaluation: Evaluation) -> Optional[str]:
    """Ce que le calcul dit de l'objet corrigé : un statut, un avis, ou la présence d'un constat."""
    if genre == STATUT:
        return evaluation.statut(cible)
    if genre == AVIS_GENRE:
        return evaluation.avis
    if genre == CONSTAT_ECARTE:
        return PRESENT if any(c.regle == cible for c in evaluation.constats) else ABSENT
    return None  # an added finding does not depend on the computation


def reconcilier(corrections: list[Correction], evaluation: Evaluation) -> list[Correction]:
    """Après une réévaluation : chaque correction active dont le calcul a bougé est « à revoir » ; celle dont
    le calcul est revenu à ce qu'il était quand elle a été écrite (ou maintenue) ne l'est plus."""
    resultat = []
    for c in corrections:
        nouveau = valeur_calculee(c.genre, c.cible, evaluation)
        if c.active and nouveau != c.valeur_calculee:
            c = replace(c, a_revoir=True, motif_revue=_motif(c, nouveau))
        elif c.active and c.a_revoir:
            c = replace(c, a_revoir=False, motif_revue="")  # the computation is back where it was when written
        resultat.append(c)
    return resultat


def _motif(c: Correction, nouveau: Optional[str]) -> str:
    if c.genre == CONSTAT_ECARTE:
        return "le constat écarté n'apparaît plus dans le calcul" if nouveau == ABSENT else \
            "le constat écarté est réapparu dans le calcul"
    avant, apres, retenu = (_lisible(c.genre, v) for v in (c.valeur_calculee, nouveau, c.valeur))
    if nouveau == c.valeur:
        return f"le nouveau calcul donne « {apres} », comme la correction : elle peut être retirée"
    return f"le calcul a changé : « {avant} » → « {apres} » ; la correction retient « {retenu} »"


def appliquer(evaluation: Evaluation, corrections: list[Correction]) -> Evaluation:
    """L'évaluation retenue : le calcul, corrigé par les corrections actives (même à revoir)."""
    actives = [c for c in corrections if c.active]
    statuts = {c.cible: c.valeur for c in actives if c.genre == STATUT}
    financeurs = tuple(replace(f, statut=statuts[f.financeur]) if f.financeur in statuts else f
                       for f in evaluation.financeurs)
    ecartes = {c.cible for c in actives if c.genre == CONSTAT_ECARTE}
    constats = tuple(c for c in evaluation.constats if c.regle not in ecartes) + tuple(
        _constat_ajoute(c) for c in actives if c.genre == CONSTAT_AJOUTE)
    par_financeur = {f.financeur: f.statut for f in financeurs}
    avis = [c.valeur for c in actives if c.genre == AVIS_GENRE]
    # Without an explicit avis correction, the avis follows the corrected statuses by the same rule.
    retenu = avis[-1] if avis else avis_de(par_financeur, reserve_de(evaluation.informations_manquantes_avis,
                                                                     constats), evaluation.accompagnement)
    return replace(evaluation, financeurs=financeurs, constats=constats, avis=retenu,
                   orientation=tuple(orientation_de(par_financeur)))


def _constat_ajoute(c: Correction) -> Constat:
    return Constat(f"instructeur.{c.numero}", c.cible, "information", c.valeur,
                   Source("Instruction", f"Correction n° {c.numero}", c.justification), True, auteur=c.auteur)


def cote_a_cote(evaluation: Evaluation, corrections: list[Correction],
                titres: Optional[dict[str, str]] = None) -> list[dict[str, Any]]:
    """Une ligne par objet corrigé : le calcul, la valeur retenue, qui, quand, pourquoi."""
    lignes = []
    for c in corrections:
        calcule = valeur_calculee(c.genre, c.cible, evaluation)
        lignes.append({
            "numero": c.numero, "genre": c.genre, "objet": _objet(c, titres or {}),
            "calcule": _lisible(c.genre, calcule),
            "corrige": _lisible(c.genre, c.valeur) if c.genre != CONSTAT_ECARTE else "écarté",
            "justification": c.justification, "auteur": c.auteur, "quand": c.quand,
            "a_revoir": c.a_revoir, "motif_revue": c.motif_revue, "retiree": c.retiree, "retrait": c.retrait,
        })
    return lignes


def _objet(c: Correction, titres: dict[str, str]) -> str:
    if c.genre == STATUT:
        return f"Statut — {NOMS_FINANCEURS[c.cible]}"
    if c.genre == AVIS_GENRE:
        return "Avis technique"
    if c.genre == CONSTAT_ECARTE:
        return f"Constat « {titres.get(c.cible, c.cible)} »"
    return "Constat ajouté" + (f" — {NOMS_FINANCEURS[c.cible]}" if c.cible else "")


def _lisible(genre: str, valeur: Optional[str]) -> str:
    if genre == STATUT:
        return LIBELLES_STATUTS.get(valeur, valeur or "—")
    if genre == AVIS_GENRE:
        return LIBELLES_AVIS.get(valeur, valeur or "—")
    if genre == CONSTAT_ECARTE:
        return {PRESENT: "présent", ABSENT: "absent"}.get(valeur, "—")
    return valeur or "—"
