"""Charger les fichiers de règles : valider chaque clé, déplier les tables, nommer chaque faute."""
import re
from datetime import date
from pathlib import Path
from typing import Any, Optional

from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from rules.champs import DETAILS
from rules.conditions import ConditionInvalide, lire_condition
from rules.erreurs import ErreurRegle, ErreursRegles
from rules.regle import ATTENDUS, EFFETS, EFFETS_STATUT, Exemple, Regle, Source
from rules.yaml_strict import CleEnDouble, DictLigne, lire_yaml

DOSSIER_REGLES = Path(__file__).parent / "regles"
CLES_FICHIER = {"description", "regles", "tables"}
CLES_REGLE = {"id", "titre", "financeur", "effet", "si", "message", "source", "interpretation",
              "en_vigueur", "montant", "piece", "exemples"}
OBLIGATOIRES = ("id", "titre", "effet", "si", "message", "source", "interpretation", "en_vigueur")
CLES_TABLE = (CLES_REGLE - {"source"}) | {"source", "lignes"}
CLES_SOURCE = {"document", "reference", "extrait"}
CLES_EXEMPLE = {"nom", "dossier", "attendu", "manquants"}
ID_VALIDE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
_GABARIT_ENTIER = re.compile(r"^\{(\w+)(?:\[(\d+)\])?\}$")
_GABARIT = re.compile(r"(?<!\{)\{(\w+)(?:\[(\d+)\])?\}(?!\})")
DETAIL = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


class _Fautes:
    def __init__(self, fichier: str):
        self.fichier = fichier
        self.liste: list[ErreurRegle] = []

    def ajouter(self, message: str, regle: Optional[str] = None, ligne: Optional[int] = None) -> None:
        self.liste.append(ErreurRegle(self.fichier, message, regle, ligne))


def charger_regles(dossier: Path = DOSSIER_REGLES) -> tuple[list[Regle], dict[str, str]]:
    """Toutes les règles des fichiers *.yaml du dossier, et le texte de chaque fichier (pour la version)."""
    fichiers = sorted(Path(dossier).glob("*.yaml"))
    if not fichiers:
        raise ErreursRegles([ErreurRegle(str(dossier), "aucun fichier de règles (*.yaml)")])
    textes = {chemin.name: chemin.read_text(encoding="utf-8") for chemin in fichiers}
    return regles_des_textes(textes), textes


def regles_des_textes(textes: dict[str, str]) -> list[Regle]:
    """Les règles de fichiers déjà lus (nom -> texte) : ceux d'un dossier, ou une version conservée."""
    regles: list[Regle] = []
    fautes: list[ErreurRegle] = []
    vus: dict[str, str] = {}
    for nom in sorted(textes):
        lues, erreurs = lire_fichier(nom, textes[nom])
        fautes.extend(erreurs)
        for regle in lues:
            if regle.id in vus:
                fautes.append(ErreurRegle(nom, f"identifiant en double (déjà dans {vus[regle.id]})", regle.id))
            vus[regle.id] = nom
            regles.append(regle)
    if fautes:
        raise ErreursRegles(fautes)
    return regles


def lire_fichier(nom: str, texte: str) -> tuple[list[Regle], list[ErreurRegle]]:
    fautes = _Fautes(nom)
    try:
        contenu = lire_yaml(texte)
    except CleEnDouble as exc:
        fautes.ajouter(exc.problem, ligne=exc.problem_mark.line + 1)
        return [], fautes.liste
    except Exception as exc:  # yaml.YAMLError and its marks
        marque = getattr(exc, "problem_mark", None)
        fautes.ajouter(f"YAML illisible : {getattr(exc, 'problem', exc)}", ligne=marque.line + 1 if marque else None)
        return [], fautes.liste
    if not isinstance(contenu, dict):
        fautes.ajouter("le fichier doit contenir un objet avec « regles » et/ou « tables »")
        return [], fautes.liste
    for cle in set(contenu) - CLES_FICHIER:
        fautes.ajouter(f"clé inconnue « {cle} » en tête de fichier ; permises : {', '.join(sorted(CLES_FICHIER))}")
    prefixe = nom.removesuffix(".yaml") + "."
    regles = [r for brut in _liste(contenu, "regles", fautes)
              if (r := _lire_regle(brut, prefixe, fautes)) is not None]
    for table in _liste(contenu, "tables", fautes):
        regles.extend(r for brut in _deplier_table(table, fautes) if (r := _lire_regle(brut, prefixe, fautes)))
    return regles, fautes.liste


def _liste(contenu: dict, cle: str, fautes: _Fautes) -> list:
    valeur = contenu.get(cle, [])
    if not isinstance(valeur, list):
        fautes.ajouter(f"« {cle} » doit être une liste")
        return []
    return valeur


def _lire_regle(brut: Any, prefixe: str, fautes: _Fautes) -> Optional[Regle]:
    if not isinstance(brut, dict):
        fautes.ajouter("chaque règle est un objet (id, titre, effet, si, …)")
        return None
    ligne = getattr(brut, "ligne", None)
    rid = brut.get("id") if isinstance(brut.get("id"), str) else None
    avant = len(fautes.liste)

    def faute(message: str) -> None:
        fautes.ajouter(message, rid, ligne)

    for cle in sorted(set(brut) - CLES_REGLE):
        faute(f"clé inconnue « {cle} » ; permises : {', '.join(sorted(CLES_REGLE))}")
    for cle in OBLIGATOIRES:
        if cle not in brut:
            faute(f"clé obligatoire absente : « {cle} »")
    if rid is None:
        faute("« id » doit être un texte")
    elif not ID_VALIDE.match(rid):
        faute("identifiant invalide : minuscules, chiffres et _ séparés par des points")
    elif not rid.startswith(prefixe):
        faute(f"l'identifiant doit commencer par « {prefixe} », comme le nom du fichier")
    effet = brut.get("effet")
    if effet not in EFFETS:
        faute(f"effet inconnu « {effet} » ; possibles : {', '.join(EFFETS)}")
    financeur = _financeur(brut.get("financeur"), effet, faute)
    condition = None
    if "si" in brut:
        try:
            condition = lire_condition(brut["si"])
        except ConditionInvalide as exc:
            faute(f"condition « si » : {exc}")
    source = _source(brut.get("source"), faute)
    du, au = _periode(brut.get("en_vigueur"), faute)
    interpretation, motif = _interpretation(brut.get("interpretation"), faute)
    for cle in ("titre", "message"):
        if cle in brut and (not isinstance(brut[cle], str) or not brut[cle].strip()):
            faute(f"« {cle} » doit être un texte non vide")
    for nom in DETAIL.findall(brut["message"]) if isinstance(brut.get("message"), str) else ():
        if nom not in DETAILS:
            faute(f"message : détail inconnu « {{{{{nom}}}}} » ; possibles : {', '.join(sorted(DETAILS))}")
    montant = _montant(brut.get("montant"), effet, faute)
    piece = brut.get("piece")
    if (effet == "piece_requise") != (piece is not None) or (piece is not None and not isinstance(piece, str)):
        faute("« piece » (le document demandé, en texte) accompagne l'effet piece_requise et lui seul")
    exemples = _exemples(brut.get("exemples", []), faute)
    if len(fautes.liste) > avant or condition is None or source is None:
        return None
    return Regle(rid, brut["titre"].strip(), financeur, effet, condition, " ".join(brut["message"].split()),
                 source, interpretation, du, au, fautes.fichier, montant, piece, exemples, motif)


def _interpretation(valeur: Any, faute) -> tuple[bool, Optional[str]]:
    """false ; ou le texte qui dit pourquoi la lecture est une interprétation (true seul reste lu,
    pour les versions conservées écrites avant que ce texte soit demandé)."""
    if isinstance(valeur, bool):
        return valeur, None
    if isinstance(valeur, str) and valeur.strip():
        return True, " ".join(valeur.split())
    if valeur is not None:
        faute("« interpretation » vaut false, ou le texte qui explique l'interprétation")
    return False, None


def _financeur(valeur: Any, effet: Any, faute) -> Optional[str]:
    if effet == "accompagnement":
        if valeur not in ACCOMPAGNEMENTS:
            faute(f"un accompagnement nomme une ingénierie parmi : {', '.join(ACCOMPAGNEMENTS)}")
        return valeur
    if effet in EFFETS_STATUT or effet == "montant":
        if valeur not in FINANCEURS:
            faute(f"financeur inconnu « {valeur} » ; possibles : {', '.join(FINANCEURS)}")
        return valeur
    if valeur is not None and valeur not in FINANCEURS + ACCOMPAGNEMENTS:
        faute(f"financeur inconnu « {valeur} » ; possibles : {', '.join(FINANCEURS + ACCOMPAGNEMENTS)} ou null")
    return valeur


def _source(valeur: Any, faute) -> Optional[Source]:
    if not isinstance(valeur, dict):
        faute("« source » est un objet {document, reference, extrait}")
        return None
    manque = CLES_SOURCE - set(valeur)
    de_trop = set(valeur) - CLES_SOURCE
    if manque or de_trop:
        faute("« source » : clés attendues document, reference, extrait "
              f"(manque {sorted(manque)}, en trop {sorted(de_trop)})")
        return None
    if not all(isinstance(valeur[k], str) and valeur[k].strip() for k in CLES_SOURCE):
        faute("« source » : document, reference et extrait sont des textes non vides")
        return None
    return Source(valeur["document"].strip(), valeur["reference"].strip(), " ".join(valeur["extrait"].split()))


def _date(valeur: Any, nom: str, faute) -> Optional[date]:
    if valeur is None:
        return None
    try:
        return date.fromisoformat(str(valeur))
    except ValueError:
        faute(f"en_vigueur.{nom} : date invalide « {valeur} » (AAAA-MM-JJ)")
        return None


def _periode(valeur: Any, faute) -> tuple[Optional[date], Optional[date]]:
    if valeur is None:
        return None, None
    if not isinstance(valeur, dict) or set(valeur) - {"du", "au"}:
        faute("« en_vigueur » est un objet {du, au} (dates AAAA-MM-JJ ou null)")
        return None, None
    du, au = _date(valeur.get("du"), "du", faute), _date(valeur.get("au"), "au", faute)
    if du and au and au < du:
        faute(f"en_vigueur : la fin ({au}) précède le début ({du})")
    return du, au


def _montant(valeur: Any, effet: Any, faute) -> Optional[dict]:
    if effet != "montant":
        if valeur is not None:
            faute("« montant » n'accompagne que l'effet montant")
        return None
    ok = isinstance(valeur, dict) and set(valeur) == {"min", "max"} and all(
        isinstance(valeur[k], (int, float)) and not isinstance(valeur[k], bool) and valeur[k] >= 0 for k in valeur)
    if not ok or valeur["min"] > valeur["max"]:
        faute("« montant » est {min, max} en euros, avec 0 ≤ min ≤ max")
        return None
    return {"min": valeur["min"], "max": valeur["max"]}


def _exemples(valeur: Any, faute) -> tuple[Exemple, ...]:
    if not isinstance(valeur, list):
        faute("« exemples » est une liste")
        return ()
    lus = []
    for i, ex in enumerate(valeur, 1):
        if not isinstance(ex, dict) or set(ex) - CLES_EXEMPLE or not {"nom", "dossier", "attendu"} <= set(ex):
            faute(f"exemple {i} : clés attendues nom, dossier, attendu (et manquants)")
            continue
        if ex["attendu"] not in ATTENDUS:
            faute(f"exemple {i} : attendu « {ex['attendu']} » ; possibles : {', '.join(ATTENDUS)}")
            continue
        manquants = ex.get("manquants")
        lus.append(Exemple(str(ex["nom"]), _en_dict(ex["dossier"]), ex["attendu"],
                           tuple(manquants) if manquants is not None else None))
    return tuple(lus)


def _en_dict(valeur: Any) -> Any:
    if isinstance(valeur, dict):
        return {k: _en_dict(v) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_en_dict(v) for v in valeur]
    return valeur


def _deplier_table(table: Any, fautes: _Fautes) -> list[dict]:
    """Une table = un gabarit de règle + des lignes ; chaque ligne donne une règle « <id>.<cle> »."""
    if not isinstance(table, dict) or not isinstance(table.get("lignes"), list):
        fautes.ajouter("une table est un objet avec « lignes » (liste)")
        return []
    tid = table.get("id", "?")
    for cle in sorted(set(table) - CLES_TABLE):
        fautes.ajouter(f"table : clé inconnue « {cle} »", tid, getattr(table, "ligne", None))
    gabarit = {k: v for k, v in table.items() if k != "lignes"}
    regles = []
    for ligne in table["lignes"]:
        if not isinstance(ligne, dict) or "cle" not in ligne:
            fautes.ajouter("chaque ligne de table a une « cle »", tid, getattr(ligne, "ligne", None))
            continue
        valeurs = dict(ligne)
        regle = _remplir(gabarit, valeurs)
        regle["id"] = f"{tid}.{ligne['cle']}"
        source = dict(regle.get("source") or {})
        if "extrait" in ligne:
            source["extrait"] = ligne["extrait"]
        regle["source"] = source
        for cle in ("interpretation", "en_vigueur", "titre", "message"):
            if cle in ligne:
                regle[cle] = ligne[cle]
        regle["exemples"] = list(regle.get("exemples", [])) + list(ligne.get("exemples", []))
        brut = DictLigne(regle)
        brut.ligne = getattr(ligne, "ligne", 0)
        regles.append(brut)
    return regles


def _remplir(gabarit: Any, valeurs: dict) -> Any:
    if isinstance(gabarit, dict):
        return {k: _remplir(v, valeurs) for k, v in gabarit.items()}
    if isinstance(gabarit, list):
        return [_remplir(v, valeurs) for v in gabarit]
    if isinstance(gabarit, str):
        entier = _GABARIT_ENTIER.match(gabarit)
        if entier and entier.group(1) in valeurs:
            v = valeurs[entier.group(1)]
            return v[int(entier.group(2))] if entier.group(2) is not None else v
        # Only the row's own keys are filled: {{detail}} belongs to the evaluation, not to the table.
        def remplacer(m: re.Match) -> str:
            if m.group(1) not in valeurs:
                return m.group(0)
            v = valeurs[m.group(1)]
            if m.group(2) is not None:
                return _texte(v[int(m.group(2))]) if isinstance(v, list) and int(m.group(2)) < len(v) else m.group(0)
            return _texte(v)
        return _GABARIT.sub(remplacer, gabarit)
    return gabarit


def _texte(v: Any) -> str:
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)
