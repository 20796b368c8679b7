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
from instruction.storage.depot_comites import DepotComitesSql
from instruction.storage.depot_comptes import DepotComptesSql, DepotJetonsSql
from instruction.storage.depot_dossiers import DepotDossiersSql
from instruction.storage.depot_securite import DepotAuditSql, DepotSessionsSql, DepotTentativesSql
from instruction.storage.depots import DepotReglesSql

# Per engine (so per database), the rule sets known to be committed there: never sent again, even by
# the next unit of work. Rows of jeux_regles are never deleted, so the knowledge does not go stale.
_REGLES_CONSERVEES: "WeakKeyDictionary[Engine, set[str]]" = WeakKeyDictionary()


class UniteDeTravailSql:
    def __init__(self, moteur: Engine):
        self.moteur = moteur
        self._connexion: Optional[Connection] = None
        self._dossiers: Optional[DepotDossiersSql] = None
        self._comites: Optional[DepotComitesSql] = None
        self._regles: Optional[DepotReglesSql] = None
        self._comptes_et_securite: dict[str, object] = {}
        self._regles_conservees = _REGLES_CONSERVEES.setdefault(moteur, set())

    def _ouverte(self) -> Connection:
        if self._connexion is None:
            raise ErreurStockage("unité de travail fermée : ouvrez-la avec « with »")
        return self._connexion

    @property
    def dossiers(self) -> DepotDossiersSql:
        self._ouverte()
        return self._dossiers

    @property
    def comites(self) -> DepotComitesSql:
        self._ouverte()
        return self._comites

    @property
    def regles(self) -> DepotReglesSql:
        self._ouverte()
        return self._regles

    # The accounts' repositories (instruction.ports.UniteDeTravailComptes): stateless, built on first use.
    @property
    def comptes(self) -> DepotComptesSql:
        return self._depot("comptes", DepotComptesSql)

    @property
    def jetons(self) -> DepotJetonsSql:
        return self._depot("jetons", DepotJetonsSql)

    @property
    def sessions(self) -> DepotSessionsSql:
        return self._depot("sessions", DepotSessionsSql)

    @property
    def tentatives(self) -> DepotTentativesSql:
        return self._depot("tentatives", DepotTentativesSql)

    @property
    def audit(self) -> DepotAuditSql:
        return self._depot("audit", DepotAuditSql)

    def _depot(self, nom: str, classe):
        connexion = self._ouverte()
        if nom not in self._comptes_et_securite:
            self._comptes_et_securite[nom] = classe(connexion)
        return self._comptes_et_securite[nom]

    def _nouveaux_depots(self, connexion: Connection) -> None:
        # Fresh repositories per transaction: what they remember of loaded dossiers is only true inside it.
        self._dossiers = DepotDossiersSql(connexion)
        self._comites = DepotComitesSql(connexion)
        self._regles = DepotReglesSql(connexion, self._regles_conservees)
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
        self._nouveaux_depots(connexion)
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
        self._nouveaux_depots(connexion)
