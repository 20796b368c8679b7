"""Le dépôt des dossiers : une ligne par dossier, son historique en lignes filles qu'on ne réécrit jamais.

Le dépôt se souvient, pour chaque dossier obtenu ou ajouté dans l'unité de travail, de ce qui
était déjà en base : `enregistrer` n'insère que les transitions, évaluations et décisions
ajoutées depuis, et ne met à jour que les corrections et les colonnes du dossier qui ont changé.
"""
from dataclasses import dataclass, fields
from typing import Any, Optional

from pydantic import ValidationError
from sqlalchemy import Connection, Row, and_, bindparam, case, delete, exc, false, func, insert, select, update

from forms.dossier import Budget, Dossier, Porteur, Projet
from forms.valeurs import AVIS
from instruction.dossiers.corrections import Correction
from instruction.dossiers.corrections import appliquer as corr_appliquer
from instruction.dossiers.cycle import ETATS, Transition
from instruction.dossiers.dossier_instruit import Decision, DossierInstruit, EvaluationEnregistree
from instruction.dossiers.recherche import Criteres, LigneDossier, texte_de_recherche
from instruction.erreurs import DossierExistant
from instruction.evaluation.resultat import Evaluation
from instruction.ports import ResumeDossier
from instruction.storage.connexion import ErreurStockage
from instruction.storage.entrepots import (
    DocumentJsonRapide,
    compresser_en_lz4,
    en_decimal,
    en_flottant,
    en_utc,
    viole_l_unicite,
)
from instruction.storage.tables import (
    MontantAuCentime,
    corrections,
    decisions,
    dossiers,
    evaluations,
    financements,
    transitions,
)
from instruction.temps import Horloge, maintenant

# (bloc, champ) of every contract field stored in its own column "<bloc>_<champ>" of `dossiers`.
CHAMPS_DU_CONTRAT = tuple((bloc, champ) for bloc, modele in (("porteur", Porteur), ("projet", Projet),
                                                              ("budget", Budget))
                          for champ in modele.model_fields if champ != "financements")
# The columns of `dossiers` that `enregistrer` writes (a column missing here is merely always rewritten).
COLONNES_ECRITES = ("reference", "etat", "date_depot", "proprietaire", "budget_financements_renseignes",
                    *(f"{bloc}_{champ}" for bloc, champ in CHAMPS_DU_CONTRAT), "avis_retenu", "statuts_retenus",
                    "corrections_a_revoir", "nombre_evaluations", "texte_recherche")
COLONNES_DU_TEXTE = ("reference", "porteur_nom", "porteur_siret", "projet_titre")  # texte_de_recherche's fields
MONTANTS = frozenset(c.name for c in dossiers.c if isinstance(c.type, MontantAuCentime))
# The append-only histories: (aggregate attribute, table, domain class).
HISTORIQUES = (("transitions", transitions, Transition), ("evaluations", evaluations, EvaluationEnregistree),
               ("decisions", decisions, Decision))

# Statements built once with bound parameters: SQLAlchemy then reuses their compiled form, which
# matters when a batch loads and saves hundreds of dossiers.
PAR_REFERENCE = select(dossiers).where(dossiers.c.reference == bindparam("reference"))
# FOR NO KEY UPDATE (PostgreSQL): enough to queue the writers of this dossier, without blocking rows
# elsewhere that merely reference it. SQLite ignores it: BEGIN IMMEDIATE made us the only writer.
PAR_REFERENCE_VERROUILLE = PAR_REFERENCE.with_for_update(key_share=True)
LIGNES_FILLES = {table.name: select(table).where(table.c.dossier_id == bindparam("id_du_dossier"))
                 .order_by(table.c.position if "position" in table.c else table.c.numero)
                 for table in (financements, transitions, evaluations, corrections, decisions)}
INSERTIONS = {table.name: insert(table) for table in (dossiers, financements, transitions, corrections, decisions)}
# An evaluation's two documents (the result, ~13 KB of JSON, and the dossier evaluated) are encoded by orjson.
INSERTIONS["evaluations"] = insert(evaluations).values(
    resultat=bindparam("resultat_en_json", type_=DocumentJsonRapide()),
    donnees=bindparam("donnees_en_json", type_=DocumentJsonRapide()))
# The light load: the last evaluation only (acting on a dossier never reads the earlier ones).
LIGNES_FILLES_LEGERES = {**LIGNES_FILLES, "evaluations": select(evaluations).where(
    evaluations.c.dossier_id == bindparam("id_du_dossier")).order_by(evaluations.c.numero.desc()).limit(1)}
_ABSENTE = object()  # a column not known for this dossier yet: always written
# A lot (obtenir_plusieurs): its dossiers by reference, then each child table by the dossiers' ids.
DU_LOT = (select(dossiers).where(dossiers.c.reference.in_(bindparam("references", expanding=True)))
          .order_by(dossiers.c.id))
DU_LOT_VERROUILLES = DU_LOT.with_for_update(key_share=True)
_IDS_DU_LOT = bindparam("ids", expanding=True)
FILLES_DU_LOT = {table.name: select(table).where(table.c.dossier_id.in_(_IDS_DU_LOT))
                 .order_by(table.c.dossier_id, table.c.position if "position" in table.c else table.c.numero)
                 for table in (financements, transitions, evaluations, corrections, decisions)}
NUMEROS_DU_LOT = (select(evaluations.c.dossier_id, func.max(evaluations.c.numero).label("numero"))
                  .where(evaluations.c.dossier_id.in_(_IDS_DU_LOT)).group_by(evaluations.c.dossier_id))
_DERNIERES_DU_LOT = NUMEROS_DU_LOT.subquery("dernieres")
DERNIERES_DU_LOT = (select(evaluations).join(_DERNIERES_DU_LOT, and_(
    _DERNIERES_DU_LOT.c.dossier_id == evaluations.c.dossier_id, _DERNIERES_DU_LOT.c.numero == evaluations.c.numero))
    .order_by(evaluations.c.dossier_id))
MISE_A_JOUR_DOSSIER = update(dossiers).where(dossiers.c.id == bindparam("id_du_dossier"))
SUPPRESSION_FINANCEMENTS = delete(financements).where(financements.c.dossier_id == bindparam("id_du_dossier"))
MISE_A_JOUR_CORRECTION = update(corrections).where(and_(corrections.c.dossier_id == bindparam("id_du_dossier"),
                                                        corrections.c.numero == bindparam("numero_corrige")))


@dataclass
class _DejaEnBase:
    """Ce qu'un dossier chargé ou ajouté avait en base, pour n'écrire ensuite que la différence."""
    dossier: DossierInstruit  # held so that its id() stays its own while it is followed
    dossier_id: int
    reference: str
    longueurs: dict[str, int]
    corrections: dict[int, Correction]
    financements: Optional[list[dict[str, Any]]]
    colonnes: dict[str, Any]  # its row in `dossiers` (the columns that `enregistrer` writes)


def _colonnes_du_dossier(instruit: DossierInstruit, avant: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """Sa ligne de `dossiers` ; `avant`, celle qui est en base (le texte de recherche en est repris s'il vaut)."""
    donnees, reference = instruit.donnees, instruit.reference
    ligne: dict[str, Any] = {"reference": reference, "etat": instruit.etat, "date_depot": donnees.date_depot,
                             "proprietaire": instruit.proprietaire,
                             "budget_financements_renseignes": donnees.budget.financements is not None}
    for bloc, champ in CHAMPS_DU_CONTRAT:
        valeur = getattr(getattr(donnees, bloc), champ)
        colonne = f"{bloc}_{champ}"
        ligne[colonne] = en_decimal(valeur, f"{bloc}.{champ}", reference) if colonne in MONTANTS else valeur
    ligne.update(_resume(instruit))
    if avant is not None and avant.get("texte_recherche") is not None \
            and all(avant.get(colonne) == ligne[colonne] for colonne in COLONNES_DU_TEXTE):
        ligne["texte_recherche"] = avant["texte_recherche"]  # the same fields give the same text: not recomputed
    else:
        ligne["texte_recherche"] = texte_de_recherche(*(ligne[colonne] for colonne in COLONNES_DU_TEXTE))
    return ligne


def _resume(instruit: DossierInstruit) -> dict[str, Any]:
    """Les colonnes de résumé de la liste des services, tenues à jour à chaque enregistrement."""
    derniere = instruit.derniere_evaluation
    retenue = None
    if derniere is not None:
        # Applying corrections rebuilds the evaluation: only worth it when one is active.
        retenue = instruit.evaluation_retenue() if any(c.active for c in instruit.corrections) else derniere.resultat
    return {"avis_retenu": retenue.avis if retenue else None,
            "statuts_retenus": (";" + "".join(f"{f.financeur}={f.statut};" for f in retenue.financeurs)
                                if retenue else None),
            "corrections_a_revoir": sum(1 for c in instruit.corrections if c.a_revoir and c.active),
            "nombre_evaluations": instruit.evaluations_anterieures + len(instruit.evaluations)}


def _lignes_de_financement(instruit: DossierInstruit, dossier_id: int) -> list[dict[str, Any]]:
    return [{"dossier_id": dossier_id, "position": position, "financeur": f.financeur, "statut": f.statut,
             "montant": en_decimal(f.montant, f"budget.financements[{position}].montant", instruit.reference)}
            for position, f in enumerate(instruit.donnees.budget.financements or [])]


def _financements_vus(instruit: DossierInstruit) -> Optional[list[dict[str, Any]]]:
    liste = instruit.donnees.budget.financements
    return None if liste is None else [f.model_dump() for f in liste]


def _donnees(ligne: Row, lignes_financement: list[Row]) -> Dossier:
    blocs: dict[str, dict[str, Any]] = {"porteur": {}, "projet": {}, "budget": {}}
    for bloc, champ in CHAMPS_DU_CONTRAT:
        colonne = f"{bloc}_{champ}"
        valeur = getattr(ligne, colonne)
        blocs[bloc][champ] = en_flottant(valeur) if colonne in MONTANTS else valeur
    if ligne.budget_financements_renseignes:
        blocs["budget"]["financements"] = [
            {"financeur": f.financeur, "montant": en_flottant(f.montant), "statut": f.statut}
            for f in lignes_financement]
    try:
        return Dossier.model_validate({"reference": ligne.reference, "date_depot": ligne.date_depot, **blocs})
    except ValidationError as erreur:
        # Stored under an older contract that the current one refuses: say so instead of crashing.
        raise ErreurStockage(f"dossier enregistré illisible avec le contrat actuel : {erreur}",
                             ligne.reference) from None


def _ligne_d_historique(objet: Any, dossier_id: int, numero: int, **en_plus: Any) -> dict[str, Any]:
    ligne = {f.name: getattr(objet, f.name) for f in fields(objet)}
    ligne.update(dossier_id=dossier_id, numero=numero, quand=en_utc(ligne["quand"]), **en_plus)
    return ligne


def _objet_d_historique(classe: type, ligne: Row) -> Any:
    valeurs = {f.name: getattr(ligne, f.name) for f in fields(classe)}
    valeurs["quand"] = en_utc(valeurs["quand"])
    if classe is EvaluationEnregistree:
        valeurs["resultat"] = Evaluation.depuis_json(valeurs["resultat"])
    return classe(**valeurs)


def _lignes_d_historique(attribut: str, elements: list[Any], dossier_id: int, debut: int) -> list[dict[str, Any]]:
    lignes = []
    for numero, element in enumerate(elements[debut:], start=debut + 1):
        if attribut == "evaluations":
            # An evaluation keeps its own number; the avis is copied out for the lists; the result is stored
            # in the contract's JSON, which any later version of the guichet can read back.
            ligne = _ligne_d_historique(element, dossier_id, element.numero, avis=element.resultat.avis)
            del ligne["resultat"]
            ligne["resultat_en_json"], ligne["donnees_en_json"] = element.resultat.en_json(), ligne.pop("donnees")
            lignes.append(ligne)
        else:
            lignes.append(_ligne_d_historique(element, dossier_id, numero))
    return lignes


class EntrepotDossiersSql:
    def __init__(self, connexion: Connection, horloge: Horloge = maintenant):
        self._connexion = connexion
        self._horloge = horloge
        self._suivis: dict[int, _DejaEnBase] = {}
        # Statements held by enregistrer_plusieurs, by (statement, columns).
        self._differees: Optional[dict[tuple[Any, tuple[str, ...]], list[dict[str, Any]]]] = None

    def _executer(self, requete: Any, parametres: list[dict[str, Any]]) -> None:
        if not parametres:  # an empty executemany would insert one row of defaults
            return
        if self._differees is None:
            self._connexion.execute(requete, parametres if len(parametres) > 1 else parametres[0])
        else:
            # One executemany per statement and set of columns (an UPDATE writes only the columns that changed).
            for ligne in parametres:
                self._differees.setdefault((requete, tuple(ligne)), []).append(ligne)

    def _inserer(self, nom_de_table: str, lignes: list[dict[str, Any]]) -> None:
        self._executer(INSERTIONS[nom_de_table], lignes)

    def enregistrer_plusieurs(self, dossiers_instruits: list[DossierInstruit]) -> None:
        """Comme `enregistrer` pour chacun, mais chaque sorte d'écriture part en une fois pour tout le lot
        (executemany : sous PostgreSQL, un seul aller-retour par sorte au lieu d'un par dossier)."""
        self._differees = {}
        try:
            for dossier in dossiers_instruits:
                self.enregistrer(dossier)
            differees = self._differees
        finally:
            self._differees = None
        if any(requete is INSERTIONS["evaluations"] for requete, _ in differees):
            compresser_en_lz4(self._connexion)  # the results of a lot: most of what the server does for it
        for (requete, _), parametres in differees.items():  # in order of first use: deletions before insertions
            self._executer(requete, parametres)

    def _suivre(self, instruit: DossierInstruit, dossier_id: int, colonnes: dict[str, Any]) -> None:
        self._suivis[id(instruit)] = _DejaEnBase(
            instruit, dossier_id, instruit.reference,
            {attribut: len(getattr(instruit, attribut)) for attribut, *_ in HISTORIQUES},
            {c.numero: c for c in instruit.corrections}, _financements_vus(instruit), colonnes)

    def ajouter(self, dossier: DossierInstruit) -> None:
        instant = self._horloge()
        colonnes = _colonnes_du_dossier(dossier)
        try:
            dossier_id = self._connexion.execute(
                INSERTIONS["dossiers"], {**colonnes, "cree_le": instant, "modifie_le": instant}).inserted_primary_key[0]
        except exc.IntegrityError as erreur:
            # The domain's own error: two simultaneous deposits of one reference end like sequential ones.
            if viole_l_unicite(erreur, dossiers, "reference"):
                raise DossierExistant(dossier.reference) from erreur
            raise
        self._inserer("financements", _lignes_de_financement(dossier, dossier_id))
        for attribut, table, _ in HISTORIQUES:
            self._inserer(table.name, _lignes_d_historique(attribut, getattr(dossier, attribut), dossier_id, 0))
        self._inserer("corrections", [_ligne_d_historique(c, dossier_id, c.numero) for c in dossier.corrections])
        self._suivre(dossier, dossier_id, colonnes)

    def obtenir(self, reference: str, pour_modifier: bool = False, complet: bool = True) -> Optional[DossierInstruit]:
        # The row lock comes first, so the history read below includes whatever the previous holder committed.
        requete = PAR_REFERENCE_VERROUILLE if pour_modifier else PAR_REFERENCE
        ligne = self._connexion.execute(requete, {"reference": reference}).first()
        if ligne is None:
            return None
        enfants = {nom: self._connexion.execute(requete_fille, {"id_du_dossier": ligne.id}).all()
                   for nom, requete_fille in (LIGNES_FILLES if complet else LIGNES_FILLES_LEGERES).items()}
        return self._construire(ligne, enfants)

    def _construire(self, ligne: Row, enfants: dict[str, list[Row]],
                    sans_evaluation: Optional[int] = None) -> DossierInstruit:
        """`sans_evaluation` : le nombre d'évaluations d'un dossier chargé sans aucune (pour en ajouter une)."""
        historiques = {attribut: [_objet_d_historique(classe, f) for f in enfants[table.name]]
                       for attribut, table, classe in HISTORIQUES}
        evaluees = historiques["evaluations"]
        instruit = DossierInstruit(
            donnees=_donnees(ligne, enfants["financements"]), etat=ligne.etat, proprietaire=ligne.proprietaire,
            **historiques, corrections=[_objet_d_historique(Correction, f) for f in enfants["corrections"]],
            # Numbers run from 1 without gaps: those before the first one loaded were left in the database.
            evaluations_anterieures=(sans_evaluation if sans_evaluation is not None
                                     else evaluees[0].numero - 1 if evaluees else 0))
        colonnes = ligne._mapping  # built anew at each access
        self._suivre(instruit, ligne.id, {nom: colonnes[nom] for nom in COLONNES_ECRITES})
        return instruit

    def obtenir_plusieurs(self, references: list[str], pour_modifier: bool = False, complet: bool = False,
                          pour_evaluer: bool = False) -> dict[str, DossierInstruit]:
        """Les dossiers trouvés, par référence : une requête par table pour tout le lot (verrouillés dans l'ordre
        de leurs identifiants, comme tout autre lot, pour que deux lots ne s'attendent pas l'un l'autre).
        `pour_evaluer` : aucune évaluation lue, seulement leur nombre ; le dossier ne sert qu'à en ajouter une."""
        requete = DU_LOT_VERROUILLES if pour_modifier else DU_LOT
        lignes = self._connexion.execute(requete, {"references": sorted(set(references))}).all()
        ids = [ligne.id for ligne in lignes]
        enfants: dict[int, dict[str, list[Row]]] = {i: {nom: [] for nom in FILLES_DU_LOT} for i in ids}
        anterieures: dict[int, int] = {}
        if ids:
            for nom, requete_fille in FILLES_DU_LOT.items():
                if nom == "evaluations" and pour_evaluer:
                    # The numbers alone (an index-only read): the previous result, ~13 KB of JSON each, is not
                    # needed to add the next evaluation, and reading it back was most of the cost of a lot.
                    anterieures = {i: n for i, n in self._connexion.execute(NUMEROS_DU_LOT, {"ids": ids})}
                    continue
                if nom == "evaluations" and not complet:
                    requete_fille = DERNIERES_DU_LOT
                for f in self._connexion.execute(requete_fille, {"ids": ids}):
                    enfants[f.dossier_id][nom].append(f)
        return {ligne.reference: self._construire(ligne, enfants[ligne.id], anterieures.get(ligne.id, 0)
                                                  if pour_evaluer else None) for ligne in lignes}

    def enregistrer(self, dossier: DossierInstruit) -> None:
        suivi = self._suivis.get(id(dossier))
        if suivi is None or suivi.dossier is not dossier:
            raise ErreurStockage("dossier ni obtenu ni ajouté dans cette unité de travail : obtenez-le d'abord",
                                 dossier.reference)
        if dossier.reference != suivi.reference:
            raise ErreurStockage(f"la référence d'un dossier ne change pas (« {suivi.reference} » en base)",
                                 dossier.reference, "reference")
        for attribut, *_ in HISTORIQUES:
            if len(getattr(dossier, attribut)) < suivi.longueurs[attribut]:
                raise ErreurStockage(f"historique raccourci ({attribut}) : rien ne s'efface", dossier.reference)
        if dossier.evaluations_anterieures and not dossier.evaluations:
            # Loaded without its evaluations (obtenir_plusieurs(pour_evaluer=True)): its summary cannot be computed.
            raise ErreurStockage("dossier chargé sans sa dernière évaluation : il ne s'enregistre qu'avec une "
                                 "nouvelle évaluation", dossier.reference)
        colonnes = _colonnes_du_dossier(dossier, suivi.colonnes)
        # Only the columns that changed (an evaluation: its summary): fewer values to encode and send.
        changees = {nom: valeur for nom, valeur in colonnes.items() if suivi.colonnes.get(nom, _ABSENTE) != valeur}
        self._executer(MISE_A_JOUR_DOSSIER, [{**changees, "modifie_le": self._horloge(),
                                              "id_du_dossier": suivi.dossier_id}])
        if _financements_vus(dossier) != suivi.financements:
            self._executer(SUPPRESSION_FINANCEMENTS, [{"id_du_dossier": suivi.dossier_id}])
            self._inserer("financements", _lignes_de_financement(dossier, suivi.dossier_id))
        for attribut, table, _ in HISTORIQUES:
            self._inserer(table.name, _lignes_d_historique(
                attribut, getattr(dossier, attribut), suivi.dossier_id, suivi.longueurs[attribut]))
        self._enregistrer_corrections(dossier, suivi)
        self._suivre(dossier, suivi.dossier_id, colonnes)

    def _enregistrer_corrections(self, dossier: DossierInstruit, suivi: _DejaEnBase) -> None:
        """Par numéro : une correction nouvelle s'insère, une correction changée (revue, retirée) se met à jour."""
        nouvelles = []
        for correction in dossier.corrections:
            avant = suivi.corrections.get(correction.numero)
            ligne = _ligne_d_historique(correction, suivi.dossier_id, correction.numero)
            if avant is None:
                nouvelles.append(ligne)
            elif avant != correction:
                del ligne["dossier_id"], ligne["numero"]
                self._executer(MISE_A_JOUR_CORRECTION, [{**ligne, "id_du_dossier": suivi.dossier_id,
                                                         "numero_corrige": correction.numero}])
        self._inserer("corrections", nouvelles)

    def lister(self, etat: Optional[str] = None, proprietaire: Optional[str] = None,
               references: Optional[frozenset[str]] = None) -> list[ResumeDossier]:
        """Une seule requête : chaque dossier, son nombre d'évaluations et l'avis de la dernière."""
        comptes = (select(evaluations.c.dossier_id, func.count().label("nombre"),
                          func.max(evaluations.c.numero).label("derniere"))
                   .group_by(evaluations.c.dossier_id).subquery("comptes"))
        derniere = evaluations.alias("derniere")
        requete = (
            select(dossiers.c.reference, dossiers.c.etat, dossiers.c.porteur_nom, dossiers.c.projet_titre,
                   dossiers.c.projet_commune_insee, dossiers.c.date_depot, dossiers.c.proprietaire,
                   func.coalesce(comptes.c.nombre, 0).label("nombre"), derniere.c.avis)
            .outerjoin(comptes, comptes.c.dossier_id == dossiers.c.id)
            .outerjoin(derniere, and_(derniere.c.dossier_id == dossiers.c.id, derniere.c.numero == comptes.c.derniere))
            .order_by(dossiers.c.reference))
        if etat is not None:
            requete = requete.where(dossiers.c.etat == etat)
        if proprietaire is not None:
            requete = requete.where(dossiers.c.proprietaire == proprietaire)
        if references is not None:
            requete = requete.where(dossiers.c.reference.in_(sorted(references)))
        return [ResumeDossier(reference=r.reference, etat=r.etat, porteur=r.porteur_nom, titre=r.projet_titre,
                              commune_insee=r.projet_commune_insee, date_depot=r.date_depot,
                              evaluations=r.nombre, dernier_avis=r.avis, proprietaire=r.proprietaire)
                for r in self._connexion.execute(requete)]

    def page(self, etat: Optional[str], avis: Optional[str], commune: Optional[str], limite: int,
             decalage: int) -> tuple[list[ResumeDossier], int]:
        """Comme `lister` sans restriction, filtré en base et paginé, avec le nombre total : la dernière évaluation
        est lue par le résumé `nombre_evaluations` (numérotées de 1 sans trou), jamais en agrégeant l'historique."""
        derniere, de_la_derniere = _DERNIERE, _DE_LA_DERNIERE
        conditions = [colonne == valeur for colonne, valeur in ((dossiers.c.etat, etat),
                                                                 (dossiers.c.projet_commune_insee, commune))
                      if valeur is not None]
        colonnes = (dossiers.c.reference, dossiers.c.etat, dossiers.c.porteur_nom, dossiers.c.projet_titre,
                    dossiers.c.projet_commune_insee, dossiers.c.date_depot, dossiers.c.proprietaire,
                    dossiers.c.nombre_evaluations, derniere.c.avis)
        if avis is None:
            # The page is cut among the dossiers first: the rows skipped by the offset are never joined.
            tranche = (select(dossiers.c.id).where(*conditions).order_by(dossiers.c.reference)
                       .limit(limite).offset(decalage).subquery("tranche"))
            source = tranche.join(dossiers, dossiers.c.id == tranche.c.id).outerjoin(derniere, de_la_derniere)
            requete = select(*colonnes).select_from(source).order_by(dossiers.c.reference)
            compte = select(func.count()).select_from(dossiers).where(*conditions)
        else:
            source = dossiers.join(derniere, de_la_derniere)
            conditions.append(derniere.c.avis == avis)
            requete = (select(*colonnes).select_from(source).where(*conditions).order_by(dossiers.c.reference)
                       .limit(limite).offset(decalage))
            compte = select(func.count()).select_from(source).where(*conditions)
        resumes = [ResumeDossier(reference=r.reference, etat=r.etat, porteur=r.porteur_nom, titre=r.projet_titre,
                                 commune_insee=r.projet_commune_insee, date_depot=r.date_depot,
                                 evaluations=r.nombre_evaluations, dernier_avis=r.avis, proprietaire=r.proprietaire)
                   for r in self._connexion.execute(requete)]
        total = self._connexion.execute(compte).scalar_one()
        return resumes, total

    # --- The desk's list (instruction.dossiers.recherche) ------------------------------------------------------

    def rechercher(self, criteres: Criteres, paginer: bool = True) -> tuple[list[LigneDossier], int]:
        """La page du filtre, lue dans les colonnes de résumé (jamais dans l'historique), et le nombre de dossiers."""
        filtre, conditions = criteres.filtre, _conditions(criteres)
        ordre = _ordre(filtre.tri, filtre.sens)
        requete = select(*COLONNES_DE_LA_LISTE).where(*conditions).order_by(*ordre)
        if paginer:
            # The page is cut among the identifiers first (in the index of the default order, 0007): the rows
            # skipped by the offset are never read whole. Page 200 of 10 000 went from 19 to 2 ms on SQLite.
            tranche = (select(dossiers.c.id).where(*conditions).order_by(*ordre)
                       .limit(filtre.par_page).offset((filtre.page - 1) * filtre.par_page).subquery("tranche"))
            requete = (select(*COLONNES_DE_LA_LISTE).select_from(tranche.join(dossiers, dossiers.c.id == tranche.c.id))
                       .order_by(*ordre))
        lignes = [_ligne_de_liste(r) for r in self._connexion.execute(requete)]
        if paginer and (filtre.page > 1 or len(lignes) == filtre.par_page):
            total = self._connexion.execute(select(func.count()).select_from(dossiers).where(*conditions)).scalar_one()
        else:
            total = len(lignes) + (filtre.page - 1) * filtre.par_page if paginer else len(lignes)
        return lignes, total

    def references(self, criteres: Criteres, maximum: int) -> tuple[list[str], int]:
        filtre, conditions = criteres.filtre, _conditions(criteres)
        requete = (select(dossiers.c.reference).where(*conditions).order_by(*_ordre(filtre.tri, filtre.sens))
                   .limit(maximum))
        total = self._connexion.execute(select(func.count()).select_from(dossiers).where(*conditions)).scalar_one()
        return list(self._connexion.execute(requete).scalars()), total


# Built once: an alias rebuilds its column collection each time it is made, a cost paid on every page otherwise.
_DERNIERE = evaluations.alias("derniere")
_DE_LA_DERNIERE = and_(_DERNIERE.c.dossier_id == dossiers.c.id, _DERNIERE.c.numero == dossiers.c.nombre_evaluations)
COLONNES_DE_LA_LISTE = (dossiers.c.reference, dossiers.c.etat, dossiers.c.porteur_nom, dossiers.c.porteur_siret,
                        dossiers.c.projet_titre, dossiers.c.projet_commune_insee, dossiers.c.date_depot,
                        dossiers.c.avis_retenu, dossiers.c.statuts_retenus, dossiers.c.corrections_a_revoir,
                        dossiers.c.nombre_evaluations, dossiers.c.proprietaire)
# The life cycle's and the avis' own orders, not the alphabet's.
_RANG_ETAT = case({etat: rang for rang, etat in enumerate(ETATS)}, value=dossiers.c.etat, else_=len(ETATS))
_RANG_AVIS = case({avis: rang for rang, avis in enumerate(AVIS)}, value=dossiers.c.avis_retenu, else_=len(AVIS))
_TRIS = {"reference": dossiers.c.reference, "porteur": func.lower(dossiers.c.porteur_nom),
         "titre": func.lower(dossiers.c.projet_titre), "commune": dossiers.c.projet_commune_insee,
         "depot": dossiers.c.date_depot, "etat": _RANG_ETAT, "avis": _RANG_AVIS,
         "a_revoir": dossiers.c.corrections_a_revoir}


def _ordre(tri: str, sens: str) -> list:
    colonne = _TRIS[tri]
    premier = (colonne.desc() if sens == "decroissant" else colonne.asc()).nulls_last()
    # The reference breaks ties: a page never shows a dossier that the next one shows again.
    return [premier] if tri == "reference" else [premier, dossiers.c.reference.asc()]


def _echapper(texte: str) -> str:
    return texte.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(criteres: Criteres) -> list:
    f, c = criteres.filtre, dossiers.c
    conditions = []
    if f.etat:
        conditions.append(c.etat == f.etat)
    if f.avis:
        conditions.append(c.avis_retenu == f.avis)
    for financeur, statut in f.statuts:
        conditions.append(c.statuts_retenus.like(f"%;{financeur}={statut};%"))
    if criteres.communes is not None:
        conditions.append(c.projet_commune_insee.in_(sorted(criteres.communes)) if criteres.communes else false())
    if f.depose_du:
        conditions.append(c.date_depot >= f.depose_du)
    if f.depose_au:
        conditions.append(c.date_depot <= f.depose_au)
    if f.a_revoir:
        conditions.append(c.corrections_a_revoir > 0)
    if texte := f.texte_normalise:
        conditions.append(c.texte_recherche.like(f"%{_echapper(texte)}%", escape="\\"))
    return conditions


def _ligne_de_liste(r: Row) -> LigneDossier:
    statuts = dict(p.split("=", 1) for p in (r.statuts_retenus or "").split(";") if p)
    return LigneDossier(r.reference, r.etat, r.porteur_nom, r.porteur_siret, r.projet_titre, r.projet_commune_insee,
                        r.date_depot, r.avis_retenu, statuts, r.corrections_a_revoir or 0, r.nombre_evaluations or 0,
                        r.proprietaire)


def remplir_resumes(connexion: Connection, paquet: int = 500) -> int:
    """Calcule les colonnes de résumé des dossiers qui n'en ont pas (base d'avant la migration 0005) ; rend leur
    nombre. Seules les colonnes nécessaires sont lues : les migrations suivantes peuvent en avoir ajouté."""
    a_faire = select(dossiers.c.id).where(dossiers.c.texte_recherche.is_(None)).order_by(dossiers.c.id)
    ids = list(connexion.execute(a_faire).scalars())
    for debut in range(0, len(ids), paquet):
        lot = ids[debut:debut + paquet]
        lignes = connexion.execute(select(dossiers.c.id, dossiers.c.reference, dossiers.c.porteur_nom,
                                          dossiers.c.porteur_siret, dossiers.c.projet_titre)
                                   .where(dossiers.c.id.in_(lot))).all()
        derniers = (select(evaluations.c.dossier_id, func.max(evaluations.c.numero).label("numero"))
                    .where(evaluations.c.dossier_id.in_(lot)).group_by(evaluations.c.dossier_id).subquery())
        resultats = {e.dossier_id: (e.numero, Evaluation.depuis_json(e.resultat)) for e in connexion.execute(
            select(evaluations.c.dossier_id, evaluations.c.numero, evaluations.c.resultat).join(derniers, and_(
                derniers.c.dossier_id == evaluations.c.dossier_id, derniers.c.numero == evaluations.c.numero)))}
        par_dossier: dict[int, list[Correction]] = {}
        for f in connexion.execute(select(corrections).where(corrections.c.dossier_id.in_(lot))
                                   .order_by(corrections.c.dossier_id, corrections.c.numero)):
            par_dossier.setdefault(f.dossier_id, []).append(_objet_d_historique(Correction, f))
        for ligne in lignes:
            numero, resultat = resultats.get(ligne.id, (0, None))
            liste = par_dossier.get(ligne.id, [])
            retenue = corr_appliquer(resultat, liste) if resultat and any(c.active for c in liste) else resultat
            connexion.execute(update(dossiers).where(dossiers.c.id == ligne.id).values(
                avis_retenu=retenue.avis if retenue else None,
                statuts_retenus=(";" + "".join(f"{f.financeur}={f.statut};" for f in retenue.financeurs)
                                 if retenue else None),
                corrections_a_revoir=sum(1 for c in liste if c.a_revoir and c.active), nombre_evaluations=numero,
                texte_recherche=texte_de_recherche(ligne.reference, ligne.porteur_nom, ligne.porteur_siret,
                                                   ligne.projet_titre)))
    return len(ids)
