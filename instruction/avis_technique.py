"""L'avis technique d'un dossier, prêt à mettre en page : tout ce que le document montre, déjà décidé.

Le porteur, le projet, le territoire, le budget, chaque financeur avec son statut calculé et
retenu et les passages cités, ce qui manque, l'ingénierie, les corrections de l'instructeur côte
à côte avec le calcul, la version des règles et le bloc de signature.
"""
from datetime import datetime
from typing import Any, Optional

from forms.libelles import (
    LIBELLES_AVIS,
    LIBELLES_NATURES,
    LIBELLES_PORTEURS,
    LIBELLES_SECTEURS,
    LIBELLES_STATUTS,
    NOMS_ACCOMPAGNEMENTS,
    NOMS_FINANCEURS,
    libelle,
    libelle_valeur,
)
from instruction.corrections import STATUT, cote_a_cote
from instruction.cycle import LIBELLES
from instruction.dossier_instruit import DossierInstruit
from instruction.territoire import Territoire

DOCUMENTS = {
    "000_2cc5c77f9f4957df.txt": "Contrat de destination touristique « Lys Artois » (2025-2027)",
    "001_bd94f405bff95fce.txt": "Délibération 2023-136 du Département du Pas-de-Calais (Pas-de-Calais Tourisme)",
    "002_b8f7c2758a814fb2.txt": "Stratégie touristique « Autour du Louvre-Lens »",
    "003_653652b52e3ee577.txt": "Stratégie touristique de La Porte du Hainaut",
    "004_f738618afb2fe528.txt": "Livret PIC Euralens (2012-2022)",
}


def _constat(c: dict[str, Any], titres: dict[str, str]) -> dict[str, Any]:
    source = dict(c["source"])
    source["titre"] = DOCUMENTS.get(source["document"], source["document"])
    return {"regle": c["regle"], "titre": titres.get(c["regle"], c["regle"]), "effet": c["effet"],
            "message": c["message"], "source": source, "interpretation": c["interpretation"],
            "piece": c.get("piece"), "auteur": c.get("auteur")}


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


def _financeurs(calcule: dict[str, Any], retenue: dict[str, Any], titres: dict[str, str],
                corriges: set[str]) -> list[dict[str, Any]]:
    lignes = []
    retenus = {f["financeur"]: f for f in retenue["financeurs"]}
    for f in calcule["financeurs"]:
        fid = f["financeur"]
        constats = [_constat(c, titres) for c in retenue["constats"] if c["financeur"] == fid]
        lignes.append({
            "id": fid, "nom": NOMS_FINANCEURS[fid],
            "statut_calcule": f["statut"], "statut_calcule_libelle": LIBELLES_STATUTS[f["statut"]],
            "statut": retenus[fid]["statut"], "statut_libelle": LIBELLES_STATUTS[retenus[fid]["statut"]],
            "corrige": fid in corriges, "motifs": f["motifs"], "constats": constats,
            "montant_indicatif": f["montant_indicatif"],
        })
    return lignes


def construire(dossier: DossierInstruit, territoire: Territoire, titres: dict[str, str],
               genere_le: datetime) -> dict[str, Any]:
    """`titres` : le titre de chaque règle, par identifiant (ceux de la base en vigueur)."""
    evaluation = dossier.derniere_evaluation
    if evaluation is None:
        raise ValueError(f"{dossier.reference} : pas d'avis technique sans évaluation")
    calcule, retenue = evaluation.resultat, dossier.evaluation_retenue()
    d = dossier.donnees
    contrats = territoire.contrats(d.projet.commune_insee, evaluation.date_reference)
    corriges = {c.cible for c in dossier.corrections if c.active and c.genre == STATUT}
    generaux = [_constat(c, titres) for c in retenue["constats"] if c["financeur"] is None]
    routes = [{"id": a, "nom": NOMS_ACCOMPAGNEMENTS[a],
               "constats": [_constat(c, titres) for c in retenue["constats"] if c["financeur"] == a]}
              for a in retenue["accompagnement"]]
    return {
        "reference": d.reference, "etat": LIBELLES[dossier.etat], "date_depot": d.date_depot,
        "porteur": {"nom": d.porteur.nom or "non renseigné", "type": libelle_valeur(LIBELLES_PORTEURS, d.porteur.type),
                    "siret": d.porteur.siret, "taille": d.porteur.taille, "rayonnement": d.porteur.rayonnement,
                    "aides_minimis_3_ans": d.porteur.aides_minimis_3_ans},
        "projet": {**d.projet.model_dump(), "nature_libelle": libelle_valeur(LIBELLES_NATURES, d.projet.nature),
                   "secteur_libelle": libelle_valeur(LIBELLES_SECTEURS, d.projet.secteur)},
        "territoire": _territoire(territoire, d.projet.commune_insee, list(contrats)),
        "budget": {**d.budget.model_dump(exclude={"financements"}),
                   "financements": [{"nom": NOMS_FINANCEURS[f.financeur], "montant": f.montant, "statut": f.statut}
                                    for f in d.budget.financements or ()]},
        "avis": {"calcule": calcule["avis"], "calcule_libelle": LIBELLES_AVIS[calcule["avis"]],
                 "retenu": retenue["avis"], "retenu_libelle": LIBELLES_AVIS[retenue["avis"]]},
        "financeurs": _financeurs(calcule, retenue, titres, corriges),
        "orientation": [NOMS_FINANCEURS[f] for f in retenue["orientation"]],
        "constats_generaux": generaux,
        "informations_manquantes": [{"champ": c, "libelle": libelle(c)} for c in retenue["informations_manquantes"]],
        "pieces_requises": list(retenue.get("pieces_requises", [])),
        "accompagnement": routes,
        "corrections": cote_a_cote(calcule, dossier.corrections),
        "evaluation": {"numero": evaluation.numero, "quand": evaluation.quand, "auteur": evaluation.auteur,
                       "date_reference": evaluation.date_reference, "version_regles": evaluation.version_regles},
        "signature": {"instructeur": _instructeur(dossier), "date": genere_le.date()},
        "genere_le": genere_le,
    }


def _instructeur(dossier: DossierInstruit) -> str:
    """Le dernier à avoir corrigé ou fait avancer le dossier : c'est lui qui signe."""
    auteurs = [(c.quand, c.auteur) for c in dossier.corrections] + [(t.quand, t.auteur) for t in dossier.transitions]
    return max(auteurs)[1] if auteurs else ""
