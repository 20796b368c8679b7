"""Une condition de règle dite en français, pour le site public des règles et l'explication d'un constat :
« le type de porteur est parmi : Commune, Intercommunalité (EPCI) » plutôt que `porteur.type: {parmi: …}`.

Les libellés viennent du contrat (`forms.libelles`) ; un champ dérivé sans libellé garde sa description
(`rules.champs`). Rien n'est interprété ici : la phrase suit l'arbre tel que le moteur l'évalue.
"""
from datetime import date
from typing import Any, Optional

from forms import libelles
from rules.champs import CHAMPS
from rules.conditions import Combinaison, Noeud, Test

_VALEURS = {
    "porteur.type": libelles.LIBELLES_PORTEURS, "porteur.taille": libelles.LIBELLES_TAILLES,
    "porteur.rayonnement": libelles.LIBELLES_RAYONNEMENTS, "projet.nature": libelles.LIBELLES_NATURES,
    "projet.secteur": libelles.LIBELLES_SECTEURS, "projet.hebergement_type": libelles.LIBELLES_HEBERGEMENTS,
    "projet.clienteles": libelles.LIBELLES_CLIENTELES, "projet.thematiques": libelles.LIBELLES_THEMATIQUES,
    "projet.labels": libelles.LIBELLES_LABELS, "projet.envergure": libelles.LIBELLES_ENVERGURES,
}
_VERBES = {
    "est": "est", "different_de": "n'est pas", "parmi": "est parmi", "hors_de": "n'est pas parmi",
    "contient": "comprend", "contient_un_de": "comprend au moins un de", "ne_contient_aucun": "ne comprend aucun de",
    # Gender-neutral verbs: the same phrase serves « le total » and « la part ».
    "min": "vaut au moins", "max": "vaut au plus", "sup": "dépasse", "inf": "vaut moins de",
}
_COMBINAISONS = {"toutes": "toutes ces conditions", "au_moins_une": "au moins une de ces conditions",
                 "aucune": "aucune de ces conditions"}
_VERBES_DATES = {"min": "est au plus tôt le", "max": "est au plus tard le", "sup": "est après le",
                 "inf": "est avant le"}
_MONTANTS = ("budget.", "porteur.aides_minimis")
# The derived facts, named as a reader says them (rules.champs keeps the technical description).
NOMS_DERIVES = {
    "dossier.date_reference": "la date de dépôt", "territoire.departement": "le département du projet",
    "territoire.epci": "l'intercommunalité du projet", "territoire.contrats": "les contrats de destination du projet",
    "territoire.zones": "les zones prioritaires du projet", "porteur.public": "le porteur est public",
    "porteur.collectivite": "le porteur est une collectivité", "porteur.siren": "le SIREN du porteur",
    "budget.total_aides_publiques": "le total des aides publiques",
    "budget.taux_aides_publiques": "la part des aides publiques dans le coût",
    "budget.cumul_minimis": "le cumul de minimis (aides reçues et montant sollicité)",
    "budget.cumul_aides_minimis": "le cumul de minimis (aides reçues et aides publiques du projet)",
    "budget.aide_ademe": "l'aide demandée à l'ADEME",
    "budget.aide_ademe_plafond": "l'aide que l'ADEME peut apporter au plus",
    "porteur.entreprise_ue": "le porteur exerce une activité économique",
    "projet.travaux_avant_depot": "les travaux commencent avant le dépôt",
}


def nom_du_champ(champ: str) -> str:
    if champ in NOMS_DERIVES:
        return NOMS_DERIVES[champ]
    if champ in libelles.CHAMPS:
        return libelles.CHAMPS[champ].lower() if not champ.startswith("porteur.siret") else "SIRET"
    definition = CHAMPS.get(champ)
    return definition.description if definition and definition.description else champ


def valeur_en_francais(champ: str, valeur: Any, noms: Optional[dict[str, dict[str, str]]] = None) -> str:
    """`noms` : d'autres libellés de valeurs, par champ (contrats, zones, EPCI : ceux du territoire)."""
    if isinstance(valeur, (frozenset, set, list, tuple)):
        return ", ".join(valeur_en_francais(champ, v, noms) for v in sorted(valeur, key=str))
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, date):
        return f"{valeur.day}{'er' if valeur.day == 1 else ''} {_MOIS[valeur.month - 1]} {valeur.year}"
    if isinstance(valeur, (int, float)):
        if champ.startswith(_MONTANTS) and not champ.startswith("budget.taux"):
            return libelles.euros(valeur)
        if champ.startswith("budget.taux"):
            return f"{valeur * 100:g} %".replace(".", ",")
        return f"{valeur:g}".replace(".", ",")
    libelle = _VALEURS.get(champ, {}).get(valeur) or (noms or {}).get(champ, {}).get(valeur)
    return libelle or f"« {valeur} »"


_MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre")


def test_en_francais(test: Test, noms: Optional[dict[str, dict[str, str]]] = None) -> str:
    nom = nom_du_champ(test.champ)
    if test.operateur == "renseigne":
        return f"{nom} est {'renseigné' if test.valeur else 'non renseigné'}"
    valeur = valeur_en_francais(test.champ, test.valeur, noms)
    nature = CHAMPS[test.champ].nature if test.champ in CHAMPS else ""
    if nature == "booleen" and test.operateur == "est":
        return f"{nom} : {valeur}"
    verbe = _VERBES_DATES.get(test.operateur) if nature == "date" else None
    return f"{nom} {verbe or _VERBES[test.operateur]} {valeur}"


def en_francais(noeud: Noeud, noms: Optional[dict[str, dict[str, str]]] = None) -> dict[str, Any]:
    """L'arbre en phrases : {"texte"} pour un test, {"texte", "enfants"} pour une combinaison."""
    if isinstance(noeud, Test):
        return {"texte": test_en_francais(noeud, noms), "enfants": []}
    assert isinstance(noeud, Combinaison)
    return {"texte": _COMBINAISONS[noeud.mode], "enfants": [en_francais(e, noms) for e in noeud.enfants]}
