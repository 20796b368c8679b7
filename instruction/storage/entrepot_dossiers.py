"""Le dépôt des dossiers : une ligne par dossier, son historique en lignes filles qu'on ne réécrit jamais.

Le dépôt se souvient, pour chaque dossier obtenu ou ajouté dans l'unité de travail, de ce qui
était déjà en base : `enregistrer` n'insère que les transitions, évaluations et décisions
ajoutées depuis, et ne met à jour que les corrections qui ont changé.
"""
from dataclasses import dataclass, fields
from typing import Any, Optional

from pydantic import ValidationError
from sqlalchemy import Connection, Row, and_, bindparam, delete, exc, func, insert, select, update

from forms.dossier import Budget, Dossier, Porteur, Projet
from instruction.dossiers.corrections import Correction
from instruction.dossiers.cycle import Transition
from instruction.dossiers.dossier_instruit import Decision, DossierInstruit, EvaluationEnregistree
from instruction.erreurs import DossierExistant
from instruction.evaluation.resultat import Evaluation
from instruction.ports import ResumeDossier
from instruction.storage.connexion import ErreurStockage
from instruction.storage.entrepots import en_decimal, en_flottant, en_utc, viole_l_unicite
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
INSERTIONS = {table.name: insert(table) for table in (dossiers, financements, transitions, evaluations,
                                                       corrections, decisions)}
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


def _colonnes_du_dossier(instruit: DossierInstruit) -> dict[str, Any]:
    donnees, reference = instruit.donnees, instruit.reference
    ligne: dict[str, Any] = {"reference": reference, "etat": instruit.etat, "date_depot": donnees.date_depot,
                             "proprietaire": instruit.proprietaire,
                             "budget_financements_renseignes": donnees.budget.financements is not None}
    for bloc, champ in CHAMPS_DU_CONTRAT:
        valeur = getattr(getattr(donnees, bloc), champ)
        colonne = f"{bloc}_{champ}"
        ligne[colonne] = en_decimal(valeur, f"{bloc}.{champ}", reference) if colonne in MONTANTS else valeur
    return ligne


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
            ligne["resultat"] = element.resultat.en_json()
            lignes.append(ligne)
        else:
            lignes.append(_ligne_d_historique(element, dossier_id, numero))
    return lignes


class EntrepotDossiersSql:
    def __init__(self, connexion: Connection, horloge: Horloge = maintenant):
        self._connexion = connexion
        self._horloge = horloge
        self._suivis: dict[int, _DejaEnBase] = {}

    def _inserer(self, nom_de_table: str, lignes: list[dict[str, Any]]) -> None:
        if lignes:  # an empty executemany would insert one row of defaults
            self._connexion.execute(INSERTIONS[nom_de_table], lignes)

    def _suivre(self, instruit: DossierInstruit, dossier_id: int) -> None:
        self._suivis[id(instruit)] = _DejaEnBase(
            instruit, dossier_id, instruit.reference,
            {attribut: len(getattr(instruit, attribut)) for attribut, *_ in HISTORIQUES},
            {c.numero: c for c in instruit.corrections}, _financements_vus(instruit))

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
        self._suivre(dossier, dossier_id)

    def obtenir(self, reference: str, pour_modifier: bool = False) -> Optional[DossierInstruit]:
        # The row lock comes first, so the history read below includes whatever the previous holder committed.
        requete = PAR_REFERENCE_VERROUILLE if pour_modifier else PAR_REFERENCE
        ligne = self._connexion.execute(requete, {"reference": reference}).first()
        if ligne is None:
            return None
        enfants = {nom: self._connexion.execute(requete_fille, {"id_du_dossier": ligne.id}).all()
                   for nom, requete_fille in LIGNES_FILLES.items()}
        instruit = DossierInstruit(
            donnees=_donnees(ligne, enfants["financements"]), etat=ligne.etat, proprietaire=ligne.proprietaire,
            **{attribut: [_objet_d_historique(classe, f) for f in enfants[table.name]]
               for attribut, table, classe in HISTORIQUES},
            corrections=[_objet_d_historique(Correction, f) for f in enfants["corrections"]])
        self._suivre(instruit, ligne.id)
        return instruit

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
        self._connexion.execute(MISE_A_JOUR_DOSSIER, {**_colonnes_du_dossier(dossier), "modifie_le": self._horloge(),
                                                      "id_du_dossier": suivi.dossier_id})
        if _financements_vus(dossier) != suivi.financements:
            self._connexion.execute(SUPPRESSION_FINANCEMENTS, {"id_du_dossier": suivi.dossier_id})
            self._inserer("financements", _lignes_de_financement(dossier, suivi.dossier_id))
        for attribut, table, _ in HISTORIQUES:
            self._inserer(table.name, _lignes_d_historique(
                attribut, getattr(dossier, attribut), suivi.dossier_id, suivi.longueurs[attribut]))
        self._enregistrer_corrections(dossier, suivi)
        self._suivre(dossier, suivi.dossier_id)

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
                self._connexion.execute(MISE_A_JOUR_CORRECTION, {**ligne, "id_du_dossier": suivi.dossier_id,
                                                                 "numero_corrige": correction.numero})
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
