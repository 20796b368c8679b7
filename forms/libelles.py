"""Libellés français : messages d'erreur et noms des champs pour le formulaire."""
from typing import Any

from forms.textes import visible

_MESSAGES = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu du contrat : vérifiez l'orthographe",
    "greater_than_equal": "doit être un montant positif ou nul",
    "greater_than": "doit être un montant strictement positif",
    "less_than": "doit être inférieur à 1 000 milliards d'euros",
    "finite_number": "doit être un nombre fini",
    "float_type": "doit être un nombre (en euros HT)",
    "float_parsing": "doit être un nombre (en euros HT)",
    "bool_type": "doit valoir vrai ou faux (true/false)",
    "bool_parsing": "doit valoir vrai ou faux (true/false)",
    "string_type": "doit être un texte",
    "string_too_short": "ne doit pas être vide",
    "string_unicode": "texte illisible : caractère invalide (moitié de paire UTF-16 isolée)",
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
        # The refused value is quoted as the user can read it: one line, short, invisible characters shown.
        return f"valeur inconnue « {visible(erreur.get('input'))} » ; valeurs possibles : {permis}"
    if kind == "string_too_long":
        maximum, recu = erreur.get("ctx", {}).get("max_length"), erreur.get("input")
        longueur = f" ({nombre(len(recu))} reçus)" if isinstance(recu, str) else ""
        return f"trop long : {nombre(maximum)} caractères au plus{longueur}"
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
    "porteur.activite_economique": "Activité économique (vente de biens ou de services sur un marché)",
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
    "projet.envergure": "Envergure du projet",
    "budget.cout_total_ht": "Coût total HT (€)",
    "budget.depenses_investissement": "Dépenses d'investissement (€)",
    "budget.montant_sollicite": "Montant sollicité (€)",
    "budget.financements": "Plan de financement",
}


def libelle(champ: str) -> str:
    return CHAMPS.get(champ, champ)


# Value labels: the words the avis technique, the comité report and the exports show.
NOMS_FINANCEURS = {
    "region_hdf": "Région Hauts-de-France (contrat de destination)",
    "region_prit": "Région Hauts-de-France (PRIT)",
    "departement_62": "Département du Pas-de-Calais",
    "departement_59": "Département du Nord",
    "ademe_fonds_tourisme_durable": "ADEME — Fonds Tourisme Durable",
    "leader": "LEADER (GAL)",
    "epci": "Intercommunalité (dispositif propre)",
}
NOMS_ACCOMPAGNEMENTS = {
    "pas_de_calais_tourisme": "Pas-de-Calais Tourisme",
    "hauts_de_france_tourisme": "Hauts-de-France Tourisme",
    "mission_all_design": "Mission Autour du Louvre-Lens (dispositif design)",
    "office_de_tourisme": "Office de tourisme",
}
LIBELLES_STATUTS = {
    "prioritaire": "Prioritaire",
    "eligible": "Éligible",
    "a_completer": "À compléter",
    "exclu": "Exclu",
    "non_concerne": "Non concerné",
}
LIBELLES_AVIS = {
    "favorable": "Favorable",
    "favorable_sous_reserve": "Favorable sous réserve",
    "a_reorienter": "À réorienter",
    "defavorable": "Défavorable",
    "incomplet": "Incomplet",
}
LIBELLES_PORTEURS = {
    "commune": "Commune", "epci": "Intercommunalité (EPCI)", "departement": "Département",
    "syndicat_mixte": "Syndicat mixte", "etablissement_public": "Établissement public",
    "association": "Association", "entreprise": "Entreprise", "particulier": "Particulier",
    "office_de_tourisme": "Office de tourisme", "adrt": "Agence de développement touristique (ADRT)",
}
LIBELLES_NATURES = {
    "investissement": "Investissement", "etude": "Étude", "ingenierie": "Ingénierie",
    "evenementiel": "Événementiel", "fonctionnement": "Fonctionnement", "promotion": "Promotion",
}
LIBELLES_SECTEURS = {
    "activite": "Activité", "accueil": "Accueil", "hebergement": "Hébergement",
    "restauration": "Restauration", "mobilite": "Mobilité", "services": "Services",
}

LIBELLES_TAILLES = {"micro": "Micro-entreprise", "petite": "Petite entreprise", "moyenne": "Moyenne entreprise",
                    "grande": "Grande entreprise"}
LIBELLES_RAYONNEMENTS = {"local": "Local", "intercommunal": "Intercommunal", "departemental": "Départemental",
                         "regional": "Régional"}
LIBELLES_ENVERGURES = {"locale": "Locale", "intercommunale": "Intercommunale", "departementale": "Départementale",
                      "regionale": "Régionale"}
LIBELLES_HEBERGEMENTS = {
    "hotel": "Hôtel", "residence_hoteliere": "Résidence hôtelière", "camping": "Camping",
    "aire_camping_cars": "Aire de camping-cars", "meuble": "Meublé de tourisme", "chambre_hotes": "Chambres d'hôtes",
    "insolite": "Hébergement insolite", "hebergement_groupe": "Hébergement de groupe",
}
LIBELLES_CLIENTELES = {
    "promeneurs_chaleureux": "Promeneurs chaleureux", "happy_family": "Happy family",
    "grands_parents_petits_enfants": "Grands-parents et petits-enfants",
    "explorateurs_passionnes": "Explorateurs passionnés", "affaires_team_building": "Affaires et team building",
    "habitants": "Habitants", "groupes": "Groupes", "autre": "Autre",
}
LIBELLES_THEMATIQUES = {
    "velo": "Vélo", "randonnee": "Randonnée", "fluvial_nautique": "Fluvial et nautique", "equestre": "Équestre",
    "memoire": "Mémoire", "patrimoine": "Patrimoine", "art_deco": "Art déco", "gastronomie": "Gastronomie",
    "innovation": "Innovation", "mediation_ludification": "Médiation et ludification", "nature": "Nature",
    "sports_nature": "Sports de nature", "savoir_faire": "Savoir-faire", "bien_etre": "Bien-être",
    "culture": "Culture", "affaires": "Affaires", "inclusion": "Inclusion",
}
LIBELLES_LABELS = {
    "accueil_velo": "Accueil Vélo", "tourisme_handicap": "Tourisme & Handicap",
    "chambre_hote_reference": "Chambre d'hôte référence", "meuble_classe": "Meublé classé",
    "qualite_tourisme": "Qualité Tourisme", "clef_verte": "Clef verte", "ecolabel_europeen": "Écolabel européen",
    "destination_pour_tous": "Destination pour tous",
}
LIBELLES_FINANCEMENTS = {"sollicite": "sollicité", "acquis": "acquis"}


def libelles_liste(table: dict[str, str], valeurs) -> list[str]:
    """Les libellés d'une liste de valeurs ; None (inconnue) reste None, pour que le document le dise."""
    return None if valeurs is None else [table.get(v, v) for v in valeurs]


def libelle_valeur(table: dict[str, str], valeur) -> str:
    """The French label of a value, the value itself when it has none, « non renseigné » when unknown."""
    if valeur is None:
        return "non renseigné"
    return table.get(valeur, str(valeur))


def nombre(valeur: Any) -> str:
    """« 5 000 », « 19,6 » : un nombre à la française (espace fine insécable entre les milliers)."""
    if isinstance(valeur, float) and not valeur.is_integer():
        # One decimal, or two significant digits below 1 (a limit of 0,001 Mo must not read « 0,0 »).
        texte = f"{valeur:,.1f}" if abs(valeur) >= 1 else f"{valeur:.2g}"
        entier, _, decimales = texte.partition(".")
        decimales = decimales.rstrip("0")
        return entier.replace(",", "\u202f") + ("," + decimales if decimales else "")
    return f"{int(valeur):,}".replace(",", "\u202f")


_INVARIABLES = {"et", "ou", "de", "du", "des", "à", "au", "en", "sur", "par", "dans"}


def pluriel(n: int, singulier: str, pluriel_: str | None = None, nombre_affiche: bool = True) -> str:
    """« 1 dossier », « 0 dossier », « 37 dossiers » : le nom s'accorde (en français, 0 et 1 sont au singulier).

    Plusieurs mots s'accordent ensemble : pluriel(3, "dossier évalué") donne « 3 dossiers évalués ». Un
    pluriel irrégulier se donne en entier : pluriel(2, "contrôle croisé", "contrôles croisés")."""
    if pluriel_ is None:
        pluriel_ = " ".join(m if m.endswith(("s", "x", "z")) or m in _INVARIABLES else m + "s"
                            for m in singulier.split(" "))
    mot = singulier if abs(n) < 2 else pluriel_
    return f"{nombre(n)} {mot}" if nombre_affiche else mot


def couper(texte: str, largeur: int) -> str:
    """Le texte en `largeur` caractères au plus, coupé entre deux mots et suivi de « … » s'il dépasse
    (« Communauté d'agglomération… ») ; un mot plus long que la moitié de la largeur est coupé net."""
    if len(texte) <= largeur:
        return texte
    debut = texte[:largeur - 1]  # room for the ellipsis
    espace = debut.rfind(" ")
    if espace >= largeur // 2:
        debut = debut[:espace]
    return debut.rstrip(" ,;:-–—") + "…"


def euros(montant) -> str:
    """« 180 000 € », « 1 250,50 € » : the French way, with a narrow no-break space between thousands."""
    if montant is None:
        return "non renseigné"
    entier, _, centimes = f"{float(montant):,.2f}".partition(".")
    texte = entier.replace(",", "\u202f") + ("" if centimes == "00" else "," + centimes)
    return texte + "\u00a0€"


LIBELLES_ETATS = {
    "brouillon": "Brouillon",
    "depose": "Déposé",
    "en_instruction": "En instruction",
    "avis_rendu": "Avis rendu",
    "inscrit_comite": "Inscrit en comité",
    "decide": "Décidé",
    "classe_sans_suite": "Classé sans suite",
}
LIBELLES_DECISIONS = {"favorable": "Favorable", "defavorable": "Défavorable", "ajourne": "Ajourné"}
LIBELLES_ROLES = {"porteur": "Porteur de projet", "instructeur": "Instructeur", "membre_comite": "Membre du comité",
                  "admin": "Administrateur"}
# The dossier page of the instruction (api/web/routes/instruction_dossier.py): what a finding does, which
# correction it is, what a condition gave, and the button that makes each passage of the life cycle.
LIBELLES_EFFETS = {
    "prioritaire": "Priorité", "eligible": "Éligibilité", "exclu": "Exclusion", "non_concerne": "Hors champ",
    "a_completer": "À compléter", "avertissement": "Avertissement", "piece_requise": "Pièce requise",
    "accompagnement": "Accompagnement", "montant": "Montant indicatif", "information": "Information",
}
LIBELLES_GENRES_CORRECTION = {"statut": "Statut d'un financeur", "avis": "Avis technique",
                              "constat_ajoute": "Ajouter un constat", "constat_ecarte": "Écarter un constat"}
LIBELLES_RESULTATS = {True: "Vrai", False: "Faux", None: "Inconnu"}
ACTIONS_TRANSITIONS = {
    "depose": "Déposer le dossier", "en_instruction": "Mettre en instruction", "avis_rendu": "Rendre l'avis",
    "classe_sans_suite": "Classer sans suite",
}
ACTIONS_RETOURS = {("avis_rendu", "en_instruction"): "Rouvrir l'instruction"}
# The public site of the rules (/regles): the rules that speak for no funder in particular, and what a rule's
# example expects.
NOM_DOSSIER_ENTIER = "Tout dossier (droit et pièces)"
LIBELLES_ATTENDUS = {"applicable": "La règle s'applique", "non_applicable": "La règle ne s'applique pas",
                     "inconnu": "On ne peut pas conclure"}


# The holder's journey (api/web/routes/mes_dossiers.py, porteur_*.py): the form's steps, hints and the live panel.
TITRES_ETAPES = {"porteur": "Le porteur", "projet": "Le projet", "budget": "Le budget", "pieces": "Les pièces",
                 "verifier": "Vérifier et déposer"}
LIBELLES_TACHES = {"termine": "Terminé", "en_cours": "En cours", "a_faire": "À faire",
                   "bloque": "Pas encore possible"}
# Each funder's status for a holder, in plain French (the panel says « <funder> <phrase> »).
STATUTS_EN_CLAIR = {
    "prioritaire": "peut financer ce projet, et il entre dans ses priorités",
    "eligible": "peut financer ce projet",
    "a_completer": "pourrait financer ce projet : il manque des réponses pour le dire",
    "exclu": "ne peut pas financer ce projet : son texte l'exclut",
    "non_concerne": "n'intervient pas pour ce projet",
}
AVIS_EN_CLAIR = {
    "favorable": "Votre projet correspond aux engagements de la Région pour ce territoire.",
    "favorable_sous_reserve": "Votre projet correspond aux engagements de la Région, sous réserve de "
                              "compléments.",
    "a_reorienter": "La Région ne finance pas ce projet par le contrat de destination, mais d'autres financeurs "
                    "ou accompagnements peuvent vous aider.",
    "defavorable": "Aucun financeur ni accompagnement ne correspond à ce projet en l'état.",
    "incomplet": "Il manque des réponses pour savoir si la Région peut financer ce projet.",
}
# Whom to contact, by funder or support route: the structures the texts name (no personal address is published).
CONTACTS = {
    "region_hdf": "Région Hauts-de-France, service du tourisme : il instruit les projets du contrat de destination "
                  "avec les partenaires du comité technique (art. 4.1)",
    "region_prit": "Région Hauts-de-France, service du tourisme : politiques régionales d'intervention "
                   "touristique (PRIT)",
    "departement_62": "Département du Pas-de-Calais, direction du tourisme (#Destination 62)",
    "departement_59": "Département du Nord, service du tourisme (stratégie 2024-2028)",
    "ademe_fonds_tourisme_durable": "ADEME Hauts-de-France (Fonds Tourisme Durable), après le diagnostic de "
                                    "Pas-de-Calais Tourisme",
    "leader": "Le GAL LEADER de votre territoire (par exemple le GAL Lys Artois)",
    "epci": "Votre intercommunalité, service du développement économique ou du tourisme",
    "pas_de_calais_tourisme": "Pas-de-Calais Tourisme (diagnostics, labels, classement des meublés)",
    "hauts_de_france_tourisme": "Hauts-de-France Tourisme (accompagnement marketing, guichet unique)",
    "mission_all_design": "Mission Autour du Louvre-Lens (dispositif design)",
    "office_de_tourisme": "L'office de tourisme de votre destination (point d'accueil, conseil)",
}
# One short hint per answer, from the texts (contrat Lys Artois 3.1.4, 3.1.5 and 3.2; délibération 2023-136).
AIDES_CLIENTELES = {
    "promeneurs_chaleureux": "Français, Belges, Néerlandais et Allemands : balades à vélo, randonnée, voie d'eau",
    "happy_family": "Familles françaises, et « fun family » belges, néerlandaises et allemandes",
    "grands_parents_petits_enfants": "Clientèle régionale : grands-parents en séjour avec leurs petits-enfants",
    "explorateurs_passionnes": "Français, Belges, Britanniques : mémoire, art déco, savoir-faire, gastronomie",
    "affaires_team_building": "Séminaires, congrès, team building régionaux et nationaux",
    "habitants": "Les habitants du territoire",
    "groupes": "Groupes d'adultes, associations, scolaires",
    "autre": "Une clientèle que la liste ne nomme pas",
}
AIDES_THEMATIQUES = {
    "velo": "Véloroutes, itinérance à vélo, services aux cyclistes (Accueil Vélo)",
    "randonnee": "Sentiers, itinérance pédestre, Via Francigena",
    "fluvial_nautique": "Canaux, plaisance, activités nautiques",
    "equestre": "Tourisme équestre, Route d'Artagnan",
    "memoire": "Tourisme de mémoire, sites de la Grande Guerre",
    "patrimoine": "Patrimoine bâti, minier, industriel",
    "art_deco": "Patrimoine et séjours Art déco",
    "gastronomie": "Tourisme gourmand, produits locaux, route de la bière",
    "innovation": "Innovation touristique (priorité régionale)",
    "mediation_ludification": "Médiation et ludification des patrimoines",
    "nature": "Espaces naturels, découverte de la nature",
    "sports_nature": "Sports de nature (PDESI dans le Pas-de-Calais)",
    "savoir_faire": "Tourisme industriel et de savoir-faire",
    "bien_etre": "Bien-être, détente",
    "culture": "Culture, spectacles, musées",
    "affaires": "Tourisme d'affaires",
    "inclusion": "Accueil de tous les publics (travaillé de manière transversale)",
}
AIDES_LABELS = {
    "accueil_velo": "Marque nationale des établissements qui accueillent les cyclistes",
    "tourisme_handicap": "Accessibilité aux personnes handicapées",
    "chambre_hote_reference": "Prérequis d'Accueil Vélo pour une chambre d'hôtes (Pas-de-Calais)",
    "meuble_classe": "Meublé de tourisme classé (de 1 à 5 étoiles)",
    "qualite_tourisme": "Marque d'État de la qualité d'accueil",
    "clef_verte": "Label environnemental des hébergements et restaurants",
    "ecolabel_europeen": "Label écologique officiel de l'Union européenne",
    "destination_pour_tous": "Destination accessible à tous les publics",
}
