"""L'avis technique d'un dossier, prêt à mettre en page : tout ce que le document montre, déjà décidé.

Le porteur, le projet, le territoire, le budget, chaque financeur avec son statut calculé et
retenu et les passages cités, ce qui manque, l'ingénierie, les corrections de l'instructeur côte
à côte avec le calcul, la version des règles et le bloc de signature.
"""
from datetime import datetime
from typing import Any, Optional

from forms.dossier import Dossier
from forms.libelles import (
    LIBELLES_AVIS,
    LIBELLES_CLIENTELES,
    LIBELLES_ENVERGURES,
    LIBELLES_ETATS,
    LIBELLES_FINANCEMENTS,
    LIBELLES_HEBERGEMENTS,
    LIBELLES_LABELS,
    LIBELLES_NATURES,
    LIBELLES_PORTEURS,
    LIBELLES_RAYONNEMENTS,
    LIBELLES_SECTEURS,
    LIBELLES_STATUTS,
    LIBELLES_TAILLES,
    LIBELLES_THEMATIQUES,
    NOMS_ACCOMPAGNEMENTS,
    NOMS_FINANCEURS,
    libelle,
    libelle_valeur,
    libelles_liste,
)
from instruction.documents.financement import demandes_par_financeur, plan
from instruction.dossiers.corrections import STATUT, cote_a_cote
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import PasEncoreEvalue
from instruction.evaluation.faits import faits_du_dossier
from instruction.evaluation.plan import EFFETS_RESERVE
from instruction.evaluation.resultat import Bande, Constat, Evaluation
from instruction.evaluation.territoire import Territoire
from rules.documents import avec_titre


def _constat(c: Constat, titres: dict[str, str]) -> dict[str, Any]:
    return {"regle": c.regle, "titre": titres.get(c.regle, c.regle), "effet": c.effet, "message": c.message,
            "source": avec_titre(c.source.en_json()), "interpretation": c.interpretation,
            "motif_interpretation": c.motif_interpretation, "piece": c.piece, "auteur": c.auteur}


def _territoire(territoire: Territoire, insee: Optional[str], contrats: list[str]) -> dict[str, Any]:
    commune = territoire.commune(insee)
    if commune is None:
        return {"commune": insee or "non renseignée", "epci": "—", "departement": "—", "contrats": []}
    return {
        "commune": f"{commune.nom} ({commune.insee})",
        "epci": f"{commune.epci_nom} (SIREN {commune.epci})" if commune.epci else "—",
        "departement": f"{territoire.departement_nom(commune.departement) or ''} ({commune.departement})".strip(),
        "contrats": [territoire.contrat(c).nom for c in contrats],
    }


def _financeurs(calcule: Evaluation, retenue: Evaluation, titres: dict[str, str], corriges: set[str],
                d: Dossier) -> list[dict[str, Any]]:
    lignes = []
    retenus = retenue.statuts()
    demandes = demandes_par_financeur(d)
    for f in calcule.financeurs:
        fid = f.financeur
        constats = [_constat(c, titres) for c in retenue.constats if c.financeur == fid]
        bande = f.montant_indicatif
        lignes.append({
            "id": fid, "nom": NOMS_FINANCEURS[fid],
            "statut_calcule": f.statut, "statut_calcule_libelle": LIBELLES_STATUTS[f.statut],
            "statut": retenus[fid], "statut_libelle": LIBELLES_STATUTS[retenus[fid]],
            "corrige": fid in corriges, "motifs": list(f.motifs), "constats": constats,
            "montant_indicatif": bande.en_json() if bande else None,
            "proposition": _proposition(retenus[fid], f.motifs, titres, demandes.get(fid), bande, d),
        })
    return lignes


def _proposition(statut: str, motifs, titres: dict[str, str], demande: Optional[float], bande: Optional[Bande],
                 d: Dossier) -> dict[str, Any]:
    """Ce que l'avis propose pour un financeur : l'assiette, la demande et la fourchette d'une voie ouverte ;
    la raison d'une voie fermée, et la ligne du plan à réorienter s'il y en a une."""
    if statut in ("exclu", "non_concerne"):
        raisons = [titres.get(m, m) for m in motifs] or [
            "aucune des règles de ce financeur ne correspond au projet : aucune voie de financement n'est ouverte"]
        return {"ouverte": False, "raisons": raisons, "demande": demande}
    investissement = d.projet.nature == "investissement"
    assiette = d.budget.depenses_investissement if investissement else d.budget.cout_total_ht
    plafond = bande.max if bande else None
    return {"ouverte": True, "assiette": assiette,
            "assiette_libelle": "dépenses d'investissement" if investissement else "coût total HT",
            "demande": demande, "bande": bande.en_json() if bande else None,
            "au_dela_du_plafond": demande is not None and plafond is not None and demande > plafond}


def _reserves(retenue: Evaluation, corrections) -> list[str]:
    """Les réserves d'un avis favorable, en phrases : celle que pose l'instructeur qui a corrigé l'avis, les
    informations à compléter qui peuvent changer la voie Région ou le dossier entier, puis les avertissements
    et les pièces de ces mêmes voies."""
    phrases = [f"Réserve de l'instructeur ({c.auteur}) : {c.justification}" for c in corrections
               if c.active and c.genre == "avis" and c.valeur == "favorable_sous_reserve"]
    phrases += [f"Compléter le dossier : {libelle(c).lower()}." for c in retenue.informations_manquantes_avis]
    for c in retenue.constats:
        if c.effet in EFFETS_RESERVE and c.financeur in (None, "region_hdf"):
            phrases.append(f"Fournir : {c.piece}." if c.piece else c.message)
    return phrases


def _projet(p) -> dict[str, Any]:
    return {**p.model_dump(), "nature_libelle": libelle_valeur(LIBELLES_NATURES, p.nature),
            "secteur_libelle": libelle_valeur(LIBELLES_SECTEURS, p.secteur),
            "hebergement_libelle": LIBELLES_HEBERGEMENTS.get(p.hebergement_type) if p.hebergement_type else None,
            "clienteles_libelles": libelles_liste(LIBELLES_CLIENTELES, p.clienteles),
            "thematiques_libelles": libelles_liste(LIBELLES_THEMATIQUES, p.thematiques),
            "labels_libelles": libelles_liste(LIBELLES_LABELS, p.labels),
            "envergure_libelle": libelle_valeur(LIBELLES_ENVERGURES, p.envergure)}


def construire(dossier: DossierInstruit, territoire: Territoire, titres: dict[str, str],
               genere_le: datetime, signataire: Optional[str] = None) -> dict[str, Any]:
    """`titres` : le titre de chaque règle, par identifiant (ceux de la base en vigueur) ; `signataire` :
    qui signe l'avis (par défaut, l'instructeur qui l'a rendu)."""
    evaluation = dossier.derniere_evaluation
    if evaluation is None:
        raise PasEncoreEvalue(dossier.reference)
    calcule, retenue = evaluation.resultat, dossier.evaluation_retenue()
    # The opinion describes the dossier as this evaluation read it, never newer data beside an older computation.
    d = Dossier.model_validate(evaluation.donnees)
    contrats = territoire.contrats(d.projet.commune_insee, evaluation.date_reference)
    faits = faits_du_dossier(d, territoire, evaluation.date_reference)
    corrections = cote_a_cote(calcule, dossier.corrections, titres)
    corriges = {c.cible for c in dossier.corrections if c.active and c.genre == STATUT}
    generaux = [_constat(c, titres) for c in retenue.constats if c.financeur is None]
    routes = [{"id": a, "nom": NOMS_ACCOMPAGNEMENTS[a],
               "constats": [_constat(c, titres) for c in retenue.constats if c.financeur == a]}
              for a in retenue.accompagnement]
    return {
        "reference": d.reference, "etat": LIBELLES_ETATS[dossier.etat], "date_depot": d.date_depot,
        "donnees_modifiees": dossier.donnees != d,
        "porteur": {"nom": d.porteur.nom or "non renseigné", "type": libelle_valeur(LIBELLES_PORTEURS, d.porteur.type),
                    "siret": d.porteur.siret, "taille": LIBELLES_TAILLES.get(d.porteur.taille),
                    "rayonnement": LIBELLES_RAYONNEMENTS.get(d.porteur.rayonnement),
                    "aides_minimis_3_ans": d.porteur.aides_minimis_3_ans,
                    "activite_economique": d.porteur.activite_economique},
        "projet": _projet(d.projet),
        "territoire": _territoire(territoire, d.projet.commune_insee, list(contrats)),
        "budget": {**d.budget.model_dump(exclude={"financements"}),
                   "financements": [{"nom": NOMS_FINANCEURS[f.financeur], "montant": f.montant, "statut": f.statut,
                                     "statut_libelle": LIBELLES_FINANCEMENTS[f.statut]}
                                    for f in d.budget.financements or ()]},
        "plan": plan(d, faits),
        "avis": {"calcule": calcule.avis, "calcule_libelle": LIBELLES_AVIS[calcule.avis],
                 "retenu": retenue.avis, "retenu_libelle": LIBELLES_AVIS[retenue.avis],
                 "reserves": _reserves(retenue, dossier.corrections)},
        "a_revoir": [c for c in corrections if c["a_revoir"] and not c["retiree"]],
        "financeurs": _financeurs(calcule, retenue, titres, corriges, d),
        "orientation": [NOMS_FINANCEURS[f] for f in retenue.orientation],
        "constats_generaux": generaux,
        "informations_manquantes": [{"champ": c, "libelle": libelle(c)} for c in retenue.informations_manquantes],
        "pieces_requises": list(retenue.pieces_requises),
        "accompagnement": routes,
        "corrections": corrections,
        "evaluation": {"numero": evaluation.numero, "quand": evaluation.quand, "auteur": evaluation.auteur,
                       "date_reference": evaluation.date_reference, "version_regles": evaluation.version_regles},
        "signature": {"instructeur": signataire or _instructeur(dossier), "date": genere_le.date()},
        "genere_le": genere_le,
    }


def _instructeur(dossier: DossierInstruit) -> str:
    """Qui a rendu l'avis (le dernier passage à « avis rendu »), sinon qui a fait la dernière évaluation."""
    rendus = [t.auteur for t in dossier.transitions if t.vers == "avis_rendu"]
    return rendus[-1] if rendus else dossier.evaluations[-1].auteur
