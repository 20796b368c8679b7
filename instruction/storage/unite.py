"""L'unité de travail SQL : une connexion et une transaction par bloc `with`.

    uow = UniteDeTravailSql(moteur)
    with uow:
        dossier = uow.dossiers.obtenir("D-1", pour_modifier=True)
        ...
        uow.dossiers.enregistrer(dossier)
        uow.valider()

Sortir du bloc sans `valider()` annule tout ; une exception annule tout et remonte (celles du
domaine telles quelles, celles de la base en `ErreurStockage`). Le même objet sert pour des
blocs successifs, pas imbriqués ; il n'est pas partagé entre fils d'exécution (un par fil).
"""
from typing import Optional
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, exc

from instruction.storage.connexion import ErreurStockage, erreurs_traduites, message_d_erreur
from instruction.storage.entrepot_comites import EntrepotComitesSql
from instruction.storage.entrepot_comptes import EntrepotComptesSql, EntrepotJetonsSql
from instruction.storage.entrepot_dossiers import EntrepotDossiersSql
from instruction.storage.entrepot_porteur import (
    EntrepotBrouillonsSql,
    EntrepotComplementsSql,
    EntrepotMessagesSql,
    EntrepotPiecesSql,
)
from instruction.storage.entrepot_securite import EntrepotAuditSql, EntrepotSessionsSql, EntrepotTentativesSql
from instruction.storage.entrepot_travaux import EntrepotTravauxSql
from instruction.storage.entrepots import EntrepotReglesSql
from instruction.temps import Horloge, maintenant

# Per engine (so per database), the rule sets known to be committed there: never sent again, even by
# the next unit of work. Rows of jeux_regles are never deleted, so the knowledge does not go stale.
_REGLES_CONSERVEES: "WeakKeyDictionary[Engine, set[str]]" = WeakKeyDictionary()


class UniteDeTravailSql:
    def __init__(self, moteur: Engine, horloge: Horloge = maintenant):
        self.moteur = moteur
        self._horloge = horloge  # stamps cree_le / modifie_le with the application's clock, as the use cases do
        self._connexion: Optional[Connection] = None
        self._dossiers: Optional[EntrepotDossiersSql] = None
        self._comites: Optional[EntrepotComitesSql] = None
        self._regles: Optional[EntrepotReglesSql] = None
        self._comptes_et_securite: dict[str, object] = {}
        self._regles_conservees = _REGLES_CONSERVEES.setdefault(moteur, set())

    def _ouverte(self) -> Connection:
        if self._connexion is None:
            raise ErreurStockage("unité de travail fermée : ouvrez-la avec « with »")
        return self._connexion

    @property
    def dossiers(self) -> EntrepotDossiersSql:
        self._ouverte()
        return self._dossiers

    @property
    def comites(self) -> EntrepotComitesSql:
        self._ouverte()
        return self._comites

    @property
    def regles(self) -> EntrepotReglesSql:
        self._ouverte()
        return self._regles

    # The accounts' repositories (instruction.ports.UniteDeTravailComptes): stateless, built on first use.
    @property
    def comptes(self) -> EntrepotComptesSql:
        return self._entrepot("comptes", EntrepotComptesSql)

    @property
    def jetons(self) -> EntrepotJetonsSql:
        return self._entrepot("jetons", EntrepotJetonsSql)

    @property
    def sessions(self) -> EntrepotSessionsSql:
        return self._entrepot("sessions", EntrepotSessionsSql)

    @property
    def tentatives(self) -> EntrepotTentativesSql:
        return self._entrepot("tentatives", EntrepotTentativesSql)

    @property
    def audit(self) -> EntrepotAuditSql:
        return self._entrepot("audit", EntrepotAuditSql)

    # The holder's journey (instruction.ports.UniteDeTravailPorteur): drafts, pieces, messages, requests.
    @property
    def brouillons(self) -> EntrepotBrouillonsSql:
        return self._entrepot("brouillons", lambda connexion: EntrepotBrouillonsSql(connexion, self._horloge))

    @property
    def pieces(self) -> EntrepotPiecesSql:
        return self._entrepot("pieces", EntrepotPiecesSql)

    @property
    def messages(self) -> EntrepotMessagesSql:
        return self._entrepot("messages", EntrepotMessagesSql)

    @property
    def complements(self) -> EntrepotComplementsSql:
        return self._entrepot("complements", EntrepotComplementsSql)

    # The batch jobs (instruction.travaux), stateless too.
    @property
    def travaux(self) -> EntrepotTravauxSql:
        return self._entrepot("travaux", EntrepotTravauxSql)

    def _entrepot(self, nom: str, classe):
        connexion = self._ouverte()
        if nom not in self._comptes_et_securite:
            self._comptes_et_securite[nom] = classe(connexion)
        return self._comptes_et_securite[nom]

    def _nouveaux_entrepots(self, connexion: Connection) -> None:
        # Fresh repositories per transaction: what they remember of loaded dossiers is only true inside it.
        self._dossiers = EntrepotDossiersSql(connexion, self._horloge)
        self._comites = EntrepotComitesSql(connexion)
        self._regles = EntrepotReglesSql(connexion, self._regles_conservees, self._horloge)
        self._comptes_et_securite = {}

    def __enter__(self) -> "UniteDeTravailSql":
        if self._connexion is not None:
            raise ErreurStockage("unité de travail déjà ouverte : un bloc « with » à la fois")
        with erreurs_traduites(self.moteur.url):
            connexion = self.moteur.connect()
            try:
                connexion.begin()  # SQLite: BEGIN IMMEDIATE, this unit of work waits for the other writers here
            except BaseException:
                connexion.close()
                raise
        self._connexion = connexion
        self._nouveaux_entrepots(connexion)
        return self

    def __exit__(self, type_exc, valeur, trace) -> None:
        connexion, self._connexion = self._connexion, None
        self._dossiers = self._comites = self._regles = None
        self._comptes_et_securite = {}
        try:
            if connexion.in_transaction():
                connexion.rollback()
            connexion.close()
        except exc.SQLAlchemyError as erreur:
            if valeur is None:  # otherwise the first failure is the one worth reporting
                raise ErreurStockage(message_d_erreur(erreur, self.moteur.url)) from erreur
        if isinstance(valeur, exc.SQLAlchemyError):
            raise ErreurStockage(message_d_erreur(valeur, self.moteur.url)) from valeur

    def valider(self) -> None:
        connexion = self._ouverte()
        with erreurs_traduites(self.moteur.url):
            connexion.commit()
        self._regles_conservees.update(self._regles.conservees_ici)
        self._regles.conservees_ici.clear()

    def annuler(self) -> None:
        connexion = self._ouverte()
        with erreurs_traduites(self.moteur.url):
            connexion.rollback()
        self._nouveaux_entrepots(connexion)
