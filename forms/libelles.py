"""Libellés français : messages d'erreur et noms des champs pour le formulaire."""
from typing import Any

_MESSAGES = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu du contrat : vérifiez l'orthographe",
    "greater_than_equal": "doit être un montant positif ou nul",
    "greater_than": "doit être un montant strictement positif",
    "finite_number": "doit être un nombre fini",
    "float_type": "doit être un nombre (en euros HT)",
    "float_parsing": "doit être un nombre (en euros HT)",
    "bool_type": "doit valoir vrai ou faux (true/false)",
    "bool_parsing": "doit valoir vrai ou faux (true/false)",
    "string_type": "doit être un texte",
    "string_too_short": "ne doit pas être vide",
    "list_type": "doit être une liste",
    "dict_type": "doit être un objet",
    "model_type": "doit être un objet",
    "model_attributes_type": "doit être un objet",
    "date_type": "doit être une date au format AAAA-MM-JJ",
    "date_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "doit être une date sans heure (AAAA-MM-JJ)",
}


def message_erreur(erreur: dict[str, Any]) -> str:
    kind = erreur.get("type", "")
    if kind == "literal_error":
        permis = str(erreur.get("ctx", {}).get("expected", "")).replace(" or ", ", ")
        return f"valeur inconnue « {erreur.get('input')} » ; valeurs possibles : {permis}"
    if kind == "value_error":
        return str(erreur.get("ctx", {}).get("error", erreur.get("msg", "valeur invalide")))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return erreur.get("msg", "valeur invalide")


CHAMPS = {
    "reference": "Référence du dossier",
    "date_depot": "Date de dépôt",
    "porteur.nom": "Nom du porteur",
    "porteur.type": "Type de porteur",
    "porteur.siret": "SIRET",
    "porteur.taille": "Taille de l'entreprise (définition européenne)",
    "porteur.rayonnement": "Rayonnement de l'association",
    "porteur.aides_minimis_3_ans": "Aides de minimis reçues sur trois ans (€)",
    "projet.titre": "Titre du projet",
    "projet.description": "Description",
    "projet.commune_insee": "Commune du projet (code INSEE)",
    "projet.nature": "Nature du projet",
    "projet.secteur": "Axe (secteur) du projet",
    "projet.hebergement_type": "Type d'hébergement",
    "projet.clienteles": "Clientèles visées",
    "projet.thematiques": "Thématiques",
    "projet.transition_ecologique": "Démarche de transition écologique",
    "projet.diagnostic_environnemental": "Diagnostic environnemental réalisé",
    "projet.accessibilite": "Accessibilité aux personnes handicapées",
    "projet.labels": "Labels et marques",
    "projet.date_debut_travaux": "Date de début des travaux ou des dépenses",
    "budget.cout_total_ht": "Coût total HT (€)",
    "budget.depenses_investissement": "Dépenses d'investissement (€)",
    "budget.montant_sollicite": "Montant sollicité (€)",
    "budget.financements": "Plan de financement",
}


def libelle(champ: str) -> str:
    return CHAMPS.get(champ, champ)
