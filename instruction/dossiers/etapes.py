"""Les étapes du formulaire du porteur et la lecture de ce qu'il a saisi, champ par champ, vers le dossier du
contrat : « Le porteur », « Le projet », « Le budget », « Les pièces », « Vérifier et déposer ».

Une saisie (`Saisie`) est ce qu'envoie le formulaire : pour chaque nom de champ, la liste des valeurs tapées ou
cochées (une seule pour un champ texte). Les noms sont les chemins du contrat (`porteur.siret`), plus trois
cases par date (`projet.date_debut_travaux-jour`, `-mois`, `-annee`) et trois par ligne du plan de financement
(`budget.financements-0-financeur`, `-montant`, `-statut`). Une case vide est une réponse inconnue, jamais
fausse ; « aucun » coché dit une liste vide connue.

Rien n'est enregistré ici : `lire_etape` rend les valeurs du contrat et les erreurs (chacune nommant son
champ) ; la validation du contrat (`Guichet.valider`) passe ensuite sur le dossier entier.
"""
import re
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional

from forms.valeurs import (
    Clientele,
    Envergure,
    FinanceurId,
    Label,
    Nature,
    Rayonnement,
    Secteur,
    StatutFinancement,
    Taille,
    Thematique,
    TypeHebergement,
    TypePorteur,
    valeurs,
)
from forms.validation import ErreurChamp
from instruction.evaluation.communes import normaliser
from instruction.evaluation.territoire import Commune, Territoire

Saisie = Mapping[str, list[str]]

ETAPES = ("porteur", "projet", "budget", "pieces", "verifier")
ETAPES_SAISIES = ("porteur", "projet", "budget")
CHAMPS_DES_ETAPES: dict[str, tuple[str, ...]] = {
    "porteur": ("porteur.type", "porteur.nom", "porteur.siret", "porteur.activite_economique", "porteur.taille",
                "porteur.aides_minimis_3_ans", "porteur.rayonnement"),
    "projet": ("projet.titre", "projet.description", "projet.commune_insee", "projet.nature", "projet.secteur",
               "projet.hebergement_type", "projet.envergure", "projet.clienteles", "projet.thematiques",
               "projet.labels", "projet.transition_ecologique", "projet.diagnostic_environnemental",
               "projet.accessibilite", "projet.date_debut_travaux"),
    "budget": ("budget.cout_total_ht", "budget.depenses_investissement", "budget.montant_sollicite",
               "budget.financements"),
}
ETAPE_DU_CHAMP = {champ: etape for etape, champs in CHAMPS_DES_ETAPES.items() for champ in champs}
# What a dossier needs before it can be filed (the rest may stay unknown: the pre-diagnostic says what it costs).
OBLIGATOIRES: dict[str, tuple[str, ...]] = {
    "porteur": ("porteur.type", "porteur.nom"),
    "projet": ("projet.titre", "projet.commune_insee", "projet.nature", "projet.secteur"),
    "budget": ("budget.cout_total_ht", "budget.montant_sollicite"),
}
LIGNES_MAX = 20  # financing plan lines a form may carry
AUCUN = "aucun"
# Holders whose legal form does not say whether they sell on a market (instruction.evaluation.faits).
ACTIVITE_A_DECLARER = ("association", "particulier", "office_de_tourisme")

_CHOIX: dict[str, tuple[str, ...]] = {
    "porteur.type": valeurs(TypePorteur), "porteur.taille": valeurs(Taille),
    "porteur.rayonnement": valeurs(Rayonnement), "projet.nature": valeurs(Nature),
    "projet.secteur": valeurs(Secteur), "projet.hebergement_type": valeurs(TypeHebergement),
    "projet.envergure": valeurs(Envergure),
}
_LISTES: dict[str, tuple[str, ...]] = {
    "projet.clienteles": valeurs(Clientele), "projet.thematiques": valeurs(Thematique),
    "projet.labels": valeurs(Label),
}
_BOOLEENS = ("porteur.activite_economique", "projet.transition_ecologique", "projet.diagnostic_environnemental",
             "projet.accessibilite")
_MONTANTS = ("porteur.aides_minimis_3_ans", "budget.cout_total_ht", "budget.depenses_investissement",
             "budget.montant_sollicite")
_DATES = ("projet.date_debut_travaux",)
PARTIES_DATE = ("jour", "mois", "annee")
PARTIES_LIGNE = ("financeur", "montant", "statut")
# Which condition shows a field (the page's script reads the same names: api/web/static/js/porteur.js).
CONDITIONS = {"porteur.siret": "siret", "porteur.activite_economique": "activite",
              "porteur.taille": "economique", "porteur.aides_minimis_3_ans": "economique",
              "porteur.rayonnement": "association", "projet.hebergement_type": "hebergement"}

MONTANT_ILLISIBLE = "Saisissez un montant en euros, par exemple 12 000 ou 12 000,50"


def ancre(champ: str) -> str:
    """L'identifiant de l'élément de la page où l'on répond à `champ` (le premier des trois pour une date,
    la case d'une ligne du plan de financement pour `budget.financements.0.montant`)."""
    if champ in _DATES:
        return f"{champ}-jour"
    ligne = re.fullmatch(r"budget\.financements\.(\d+)\.(\w+)", champ)
    if ligne:
        return f"budget.financements-{ligne.group(1)}-{ligne.group(2)}"
    if champ == "budget.financements":
        return "budget.financements-0-financeur"
    return champ


def montre(condition: Optional[str], type_porteur: Optional[str], activite: Optional[bool],
           secteur: Optional[str]) -> bool:
    """Le champ de cette condition se pose-t-il ? Inconnu (type ou secteur pas encore choisi), on le pose."""
    if condition is None:
        return True
    if condition in ("hebergement",):
        return secteur is None or secteur == "hebergement"
    if type_porteur is None:
        return True
    if condition == "siret":
        return type_porteur != "particulier"
    if condition == "activite":
        return type_porteur in ACTIVITE_A_DECLARER
    if condition == "economique":
        return type_porteur == "entreprise" or (type_porteur in ACTIVITE_A_DECLARER and activite is True)
    if condition == "association":
        return type_porteur == "association"
    raise ValueError(f"condition inconnue « {condition} »")


def _un(saisie: Saisie, nom: str) -> str:
    valeurs_ = saisie.get(nom) or []
    premier = valeurs_[0] if valeurs_ else ""
    return premier.strip() if isinstance(premier, str) else ""


def lire_montant(texte: str, champ: str) -> tuple[Optional[float], Optional[ErreurChamp]]:
    """« 12 000 », « 12 000,50 », « 12000.5 € » ; au centime, sous 1 000 milliards d'euros."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", texte or "")
    if not compact:
        return None, None
    if not re.fullmatch(r"[0-9]{1,13}(?:[.,][0-9]{1,2})?", compact):
        precis = re.fullmatch(r"[0-9]+[.,][0-9]{3,}", compact)
        return None, ErreurChamp(champ, "Le montant doit être au centime près (deux décimales au plus)" if precis
                                 else MONTANT_ILLISIBLE)
    montant = float(compact.replace(",", "."))
    if montant >= 1e12:
        return None, ErreurChamp(champ, "Le montant doit être inférieur à 1 000 milliards d'euros")
    return (int(montant) if montant.is_integer() else montant), None


def _lire_date(saisie: Saisie, champ: str) -> tuple[Optional[str], Optional[ErreurChamp]]:
    parties = [_un(saisie, f"{champ}-{p}") for p in PARTIES_DATE]
    if not any(parties):
        return None, None
    if not all(parties):
        manque = [nom for nom, p in zip(("le jour", "le mois", "l'année"), parties) if not p]
        return None, ErreurChamp(champ, f"La date doit comprendre {' et '.join(manque)}")
    jour, mois, annee = parties
    if not (jour.isdigit() and mois.isdigit() and annee.isdigit() and len(annee) == 4):
        return None, ErreurChamp(champ, "La date doit être une vraie date, par exemple 1 9 2026")
    try:
        return date(int(annee), int(mois), int(jour)).isoformat(), None
    except ValueError:
        return None, ErreurChamp(champ, "La date doit être une vraie date, par exemple 1 9 2026")


@lru_cache(maxsize=4)
def communes_du_territoire(territoire: Territoire) -> tuple[Commune, ...]:
    """Toutes les communes, par nom (sans accents ni casse) puis code INSEE ; calculé une fois par territoire."""
    return tuple(sorted(territoire.communes_toutes(), key=lambda c: (normaliser(c.nom), c.insee)))


@lru_cache(maxsize=4)
def _par_nom(territoire: Territoire) -> dict[str, tuple[Commune, ...]]:
    index: dict[str, list[Commune]] = {}
    for commune in communes_du_territoire(territoire):
        index.setdefault(normaliser(commune.nom), []).append(commune)
    return {nom: tuple(communes) for nom, communes in index.items()}


def commune_affichee(commune: Commune, territoire: Territoire) -> str:
    """« Béthune (62119, Pas-de-Calais) » : le nom, le code INSEE et le département (54 noms sont en double)."""
    return f"{commune.nom} ({commune.insee}, {territoire.departement_nom(commune.departement) or commune.departement})"


def lire_commune(texte: str, territoire: Territoire, champ: str = "projet.commune_insee"
                 ) -> tuple[Optional[str], Optional[ErreurChamp]]:
    """Le code INSEE d'une commune écrite « Béthune (62119, Pas-de-Calais) », « 62119 » ou « Béthune » (si
    le nom n'est porté que par une commune)."""
    texte = (texte or "").strip()
    if not texte:
        return None, None
    code = re.search(r"\((\d[0-9AB]\d{3})\b", texte) or re.fullmatch(r"(\d[0-9AB]\d{3})", texte)
    if code:
        insee = code.group(1)
        if territoire.commune(insee) is None:
            return None, ErreurChamp(champ, f"Aucune commune des Hauts-de-France n'a le code INSEE « {insee} »")
        return insee, None
    cherche = normaliser(texte)
    memes = _par_nom(territoire).get(cherche, ())
    if len(memes) == 1:
        return memes[0].insee, None
    if memes:
        choix = " ou ".join(commune_affichee(c, territoire) for c in memes)
        return None, ErreurChamp(champ, f"Plusieurs communes s'appellent « {memes[0].nom} » : choisissez {choix}")
    return None, ErreurChamp(champ, "Choisissez une commune des Hauts-de-France dans la liste (nom, code INSEE "
                                    "et département)")


def _lire_choix(saisie: Saisie, champ: str) -> tuple[Optional[str], Optional[ErreurChamp]]:
    valeur = _un(saisie, champ)
    if not valeur:
        return None, None
    if valeur not in _CHOIX[champ]:
        return None, ErreurChamp(champ, "Choisissez une des réponses proposées")
    return valeur, None


def _lire_liste(saisie: Saisie, champ: str) -> tuple[Optional[list[str]], Optional[ErreurChamp]]:
    cochees = [v.strip() for v in saisie.get(champ) or [] if isinstance(v, str) and v.strip()]
    if not cochees:
        return None, None
    if AUCUN in cochees:
        if len(cochees) > 1:
            return None, ErreurChamp(champ, "Cochez « aucune » seule, ou seulement des réponses de la liste")
        return [], None
    if any(v not in _LISTES[champ] for v in cochees):
        return None, ErreurChamp(champ, "Cochez des réponses de la liste")
    return list(dict.fromkeys(cochees)), None


def _lire_booleen(saisie: Saisie, champ: str) -> tuple[Optional[bool], Optional[ErreurChamp]]:
    valeur = _un(saisie, champ)
    if not valeur:
        return None, None
    if valeur not in ("oui", "non"):
        return None, ErreurChamp(champ, "Répondez oui ou non")
    return valeur == "oui", None


def lignes_saisies(saisie: Saisie) -> list[dict[str, str]]:
    """Les lignes du plan de financement telles que tapées, vides comprises, dans l'ordre du formulaire."""
    lignes = []
    for i in range(LIGNES_MAX):
        ligne = {p: _un(saisie, f"budget.financements-{i}-{p}") for p in PARTIES_LIGNE}
        if any(f"budget.financements-{i}-{p}" in saisie for p in PARTIES_LIGNE):
            lignes.append(ligne)
    return lignes


def _lire_financements(saisie: Saisie) -> tuple[Optional[list[dict]], list[ErreurChamp]]:
    lignes, erreurs = [], []
    financeurs, statuts = valeurs(FinanceurId), valeurs(StatutFinancement)
    for i, ligne in enumerate(lignes_saisies(saisie)):
        if not any(ligne.values()):
            continue  # an empty line: nothing to record
        champ = f"budget.financements.{i}"
        if ligne["financeur"] not in financeurs:
            erreurs.append(ErreurChamp(f"{champ}.financeur", f"Ligne {i + 1} : choisissez le financeur"))
        montant, erreur = lire_montant(ligne["montant"], f"{champ}.montant")
        if erreur or montant is None:
            erreurs.append(erreur or ErreurChamp(f"{champ}.montant", f"Ligne {i + 1} : saisissez le montant"))
        if ligne["statut"] not in statuts:
            erreurs.append(ErreurChamp(f"{champ}.statut", f"Ligne {i + 1} : dites si l'aide est sollicitée ou acquise"))
        lignes.append({"financeur": ligne["financeur"], "montant": montant, "statut": ligne["statut"]})
    return (None if erreurs else lignes), erreurs


def lire_champ(champ: str, saisie: Saisie, territoire: Territoire) -> tuple[Any, list[ErreurChamp]]:
    """La valeur du contrat d'un champ saisi (None : inconnu) et ses erreurs."""
    if champ == "budget.financements":
        return _lire_financements(saisie)
    if champ in _CHOIX:
        valeur, erreur = _lire_choix(saisie, champ)
    elif champ in _LISTES:
        valeur, erreur = _lire_liste(saisie, champ)
    elif champ in _BOOLEENS:
        valeur, erreur = _lire_booleen(saisie, champ)
    elif champ in _MONTANTS:
        valeur, erreur = lire_montant(_un(saisie, champ), champ)
    elif champ in _DATES:
        valeur, erreur = _lire_date(saisie, champ)
    elif champ == "projet.commune_insee":
        valeur, erreur = lire_commune(_un(saisie, champ), territoire)
    else:  # free text, checked by the contract (length, one line, no control character, SIRET key)
        valeur, erreur = _un(saisie, champ) or None, None
    return valeur, [erreur] if erreur else []


def lire_etape(etape: str, saisie: Saisie, territoire: Territoire) -> tuple[dict[str, Any], list[ErreurChamp]]:
    """Les valeurs des champs de l'étape (chemin du contrat → valeur) ; un champ que le type de porteur ou le
    secteur écartent vaut None, quoi qu'on y ait tapé."""
    lues: dict[str, Any] = {}
    erreurs: list[ErreurChamp] = []
    for champ in CHAMPS_DES_ETAPES[etape]:
        lues[champ], fautes = lire_champ(champ, saisie, territoire)
        erreurs += fautes
    type_porteur, secteur = lues.get("porteur.type"), lues.get("projet.secteur")
    for champ, condition in CONDITIONS.items():
        if champ in lues and not montre(condition, type_porteur, lues.get("porteur.activite_economique"), secteur):
            lues[champ] = None
            erreurs = [e for e in erreurs if e.champ != champ]
    return lues, erreurs


def poser(donnees: dict[str, Any], valeurs_: Mapping[str, Any]) -> dict[str, Any]:
    """Une copie du dossier (JSON du contrat) où chaque chemin de `valeurs_` prend sa valeur."""
    copie = {**donnees, **{b: dict(donnees.get(b) or {}) for b in ("porteur", "projet", "budget")}}
    for champ, valeur in valeurs_.items():
        bloc, nom = champ.split(".", 1)
        copie[bloc][nom] = valeur
    return copie


def appliquer_champs(donnees: dict[str, Any], champs: Iterable[str], saisie: Saisie,
                     territoire: Territoire) -> tuple[dict[str, Any], list[ErreurChamp]]:
    """Le dossier où seuls `champs` prennent la valeur saisie (une réponse à des compléments)."""
    lues, erreurs = {}, []
    for champ in champs:
        lues[champ], fautes = lire_champ(champ, saisie, territoire)
        erreurs += fautes
    return poser(donnees, lues), erreurs


def _montant_ecrit(montant: Any) -> str:
    if montant is None:
        return ""
    entier, _, centimes = f"{float(montant):,.2f}".partition(".")
    return entier.replace(",", " ") + ("" if centimes == "00" else "," + centimes)


def saisie_du_dossier(donnees: dict[str, Any], territoire: Territoire) -> dict[str, list[str]]:
    """Ce que le formulaire montre d'un dossier enregistré (JSON du contrat), sous la forme d'une saisie."""
    saisie: dict[str, list[str]] = {}
    for champs in CHAMPS_DES_ETAPES.values():
        for champ in champs:
            bloc, nom = champ.split(".", 1)
            valeur = (donnees.get(bloc) or {}).get(nom)
            if champ == "budget.financements":
                for i, ligne in enumerate(valeur or []):
                    saisie[f"budget.financements-{i}-financeur"] = [ligne["financeur"]]
                    saisie[f"budget.financements-{i}-montant"] = [_montant_ecrit(ligne["montant"])]
                    saisie[f"budget.financements-{i}-statut"] = [ligne["statut"]]
            elif valeur is None:
                continue
            elif champ in _LISTES:
                saisie[champ] = list(valeur) or [AUCUN]
            elif champ in _BOOLEENS:
                saisie[champ] = ["oui" if valeur else "non"]
            elif champ in _MONTANTS:
                saisie[champ] = [_montant_ecrit(valeur)]
            elif champ in _DATES:
                jour = date.fromisoformat(valeur)
                for partie, nombre in zip(PARTIES_DATE, (jour.day, jour.month, jour.year)):
                    saisie[f"{champ}-{partie}"] = [str(nombre)]
            elif champ == "projet.commune_insee":
                commune = territoire.commune(valeur)
                saisie[champ] = [commune_affichee(commune, territoire) if commune else valeur]
            else:
                saisie[champ] = [str(valeur)]
    return saisie
