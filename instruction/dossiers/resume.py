"""Les réponses d'un dossier, étape par étape, pour la page « Vérifier et déposer » et la page d'un dossier
déposé : chaque ligne dit la question, la réponse (une valeur typée, que la page met en forme) et le lien pour
la modifier."""
from typing import Any, Optional

from forms import libelles
from forms.dossier import Dossier
from instruction.dossiers import etapes
from instruction.evaluation.territoire import Territoire

_TABLES = {
    "porteur.type": libelles.LIBELLES_PORTEURS, "porteur.taille": libelles.LIBELLES_TAILLES,
    "porteur.rayonnement": libelles.LIBELLES_RAYONNEMENTS, "projet.nature": libelles.LIBELLES_NATURES,
    "projet.secteur": libelles.LIBELLES_SECTEURS, "projet.hebergement_type": libelles.LIBELLES_HEBERGEMENTS,
    "projet.envergure": libelles.LIBELLES_ENVERGURES, "projet.clienteles": libelles.LIBELLES_CLIENTELES,
    "projet.thematiques": libelles.LIBELLES_THEMATIQUES, "projet.labels": libelles.LIBELLES_LABELS,
}
_MONTANTS = ("porteur.aides_minimis_3_ans", "budget.cout_total_ht", "budget.depenses_investissement",
             "budget.montant_sollicite")


def _valeur(champ: str, valeur: Any, territoire: Territoire) -> tuple[str, Any]:
    """(nature, valeur) : `texte`, `montant`, `date`, `liste`, `financements` ou `inconnu`."""
    if valeur is None:
        return "inconnu", None
    if champ in _TABLES and isinstance(valeur, list):
        return "liste", [_TABLES[champ].get(v, v) for v in valeur]
    if champ in _TABLES:
        return "texte", _TABLES[champ].get(valeur, valeur)
    if isinstance(valeur, bool):
        return "texte", "Oui" if valeur else "Non"
    if champ in _MONTANTS:
        return "montant", valeur
    if champ == "projet.date_debut_travaux":
        return "date", valeur
    if champ == "projet.commune_insee":
        commune = territoire.commune(valeur)
        return "texte", etapes.commune_affichee(commune, territoire) if commune else valeur
    if champ == "budget.financements":
        return "financements", [{"financeur": libelles.NOMS_FINANCEURS[f.financeur], "montant": f.montant,
                                 "statut": libelles.LIBELLES_FINANCEMENTS[f.statut]} for f in valeur]
    return "texte", valeur


def en_texte(champ: str, valeur: Any, territoire: Territoire) -> str:
    """Une réponse en une ligne de texte (« Association », « 2 financements », « 2026-09-01 »)."""
    nature, lue = _valeur(champ, valeur, territoire)
    if nature == "inconnu":
        return "non renseigné"
    if nature == "liste":
        return ", ".join(lue) or "aucun"
    if nature == "financements":
        return f"{len(lue)} financement{'s' if len(lue) > 1 else ''}"
    return str(lue)


def sections(dossier: Dossier, territoire: Territoire, lien: Optional[str] = None) -> list[dict[str, Any]]:
    """Une section par étape saisie ; `lien` : l'adresse du dossier, pour les liens « Modifier » (aucun sinon).
    Les champs que le type de porteur ou le secteur écartent n'y sont pas."""
    p, pr = dossier.porteur, dossier.projet
    resultat = []
    for etape in etapes.ETAPES_SAISIES:
        lignes = []
        for champ in etapes.CHAMPS_DES_ETAPES[etape]:
            condition = etapes.CONDITIONS.get(champ)
            if condition and not etapes.montre(condition, p.type, p.activite_economique, pr.secteur):
                continue
            bloc, nom = champ.split(".", 1)
            nature, valeur = _valeur(champ, getattr(getattr(dossier, bloc), nom), territoire)
            lignes.append({"champ": champ, "question": libelles.libelle(champ), "nature": nature, "valeur": valeur,
                           "lien": f"{lien}/{etape}#{etapes.ancre(champ)}" if lien else None})
        resultat.append({"etape": etape, "titre": libelles.TITRES_ETAPES[etape], "lignes": lignes})
    return resultat
