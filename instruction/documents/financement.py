"""Le plan de financement tel qu'un instructeur le lit : chaque ligne, la part de chacune, les aides
publiques et l'autofinancement, la règle des 20 % (CGCT L1111-10) et le cumul de minimis. Les totaux
viennent des faits dérivés (`instruction.evaluation.faits`), les mêmes que ceux que les règles lisent.
"""
from typing import Any, Optional

from forms.dossier import Dossier
from forms.libelles import LIBELLES_FINANCEMENTS, NOMS_FINANCEURS
from instruction.evaluation.faits import DEMANDE_DU_DOSSIER

PARTICIPATION_MINIMALE = 0.2  # CGCT L1111-10, III
PLAFOND_MINIMIS = 300_000  # Regulation (EU) 2023/2831, art. 3(2)


FERMES = ("exclu", "non_concerne")


def demandes_detaillees(dossier: Dossier) -> list[tuple[str, str, float]]:
    """(financeur, statut de la ligne, montant) de chaque demande du dossier. Le montant sollicité est la
    demande à la Région ; une ligne `region_hdf` du plan est cette même demande, comptée une fois."""
    b = dossier.budget
    demandes = [(DEMANDE_DU_DOSSIER, "sollicite", b.montant_sollicite)] if b.montant_sollicite is not None else []
    demandes += [(ligne.financeur, ligne.statut, ligne.montant) for ligne in b.financements or ()
                 if not (ligne.financeur == DEMANDE_DU_DOSSIER and b.montant_sollicite is not None)]
    return demandes


def demandes_par_financeur(dossier: Dossier) -> dict[str, float]:
    """Ce que le dossier demande à chaque financeur, lignes sollicitées et acquises ensemble."""
    demandes: dict[str, float] = {}
    for financeur, _, montant in demandes_detaillees(dossier):
        demandes[financeur] = demandes.get(financeur, 0) + montant
    return demandes


def _part(montant: Optional[float], cout: Optional[float]) -> Optional[float]:
    return None if montant is None or not cout else montant / cout


def plan(dossier: Dossier, faits: dict[str, Any]) -> dict[str, Any]:
    """Les lignes du plan et ses contrôles ; une valeur inconnue reste None (le document dit « non renseigné »)."""
    b = dossier.budget
    cout = b.cout_total_ht
    lignes = []
    if b.montant_sollicite is not None:
        lignes.append({"financeur": f"{NOMS_FINANCEURS[DEMANDE_DU_DOSSIER]} — montant sollicité",
                       "montant": b.montant_sollicite, "part": _part(b.montant_sollicite, cout),
                       "statut": "sollicité"})
    for ligne in b.financements or ():
        doublon = ligne.financeur == DEMANDE_DU_DOSSIER and b.montant_sollicite is not None
        lignes.append({"financeur": NOMS_FINANCEURS[ligne.financeur] + (" (déjà compté ci-dessus)" if doublon else ""),
                       "montant": ligne.montant, "part": _part(ligne.montant, cout),
                       "statut": LIBELLES_FINANCEMENTS[ligne.statut]})
    aides = faits.get("budget.total_aides_publiques")
    autofinancement = None if aides is None or cout is None else max(cout - aides, 0)
    part_autofinancement = _part(autofinancement, cout)
    collectivite = faits.get("porteur.collectivite")
    return {
        "lignes": lignes,
        "renseigne": b.financements is not None,
        "cout_total_ht": cout,
        "aides_publiques": aides,
        "taux_aides_publiques": faits.get("budget.taux_aides_publiques"),
        "autofinancement": autofinancement,
        "part_autofinancement": part_autofinancement,
        # For a public owner its own money is public too: 20 % of the public funding is 20 % of the cost
        # when nothing private comes in.
        "cgct": None if not collectivite else {
            "minimum": PARTICIPATION_MINIMALE,
            "respecte": None if part_autofinancement is None else part_autofinancement >= PARTICIPATION_MINIMALE},
        "minimis": _minimis(dossier, faits),
    }


def _minimis(dossier: Dossier, faits: dict[str, Any]) -> Optional[dict[str, Any]]:
    entreprise = faits.get("porteur.entreprise_ue")
    if entreprise is False:
        return None
    cumul = faits.get("budget.cumul_aides_minimis")
    return {"entreprise_ue": entreprise, "deja_recues": dossier.porteur.aides_minimis_3_ans,
            "demandees": faits.get("budget.total_aides_publiques"), "cumul": cumul, "plafond": PLAFOND_MINIMIS,
            "depasse": None if cumul is None else cumul > PLAFOND_MINIMIS}
