"""Les dépôts de ce que les serveurs se partagent pour la sécurité : les sessions du site, les échecs de
connexion (le freinage) et le journal d'audit. Rien de tout cela ne reste dans la mémoire d'un processus."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Connection, delete, insert, select, update

from instruction.comptes.audit import EvenementAudit
from instruction.comptes.sessions import Session
from instruction.storage.entrepot_comptes import id_du_compte
from instruction.storage.entrepots import en_utc
from instruction.storage.tables import comptes, journal_audit, sessions, tentatives_connexion


class EntrepotSessionsSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter(self, session: Session) -> None:
        self._connexion.execute(insert(sessions).values(
            empreinte=session.empreinte, compte_id=id_du_compte(self._connexion, session.compte), csrf=session.csrf,
            adresse=session.adresse, cree_le=en_utc(session.cree_le), vu_le=en_utc(session.vu_le),
            expire_le=en_utc(session.expire_le)))

    def obtenir(self, empreinte: str) -> Optional[Session]:
        ligne = self._connexion.execute(
            select(sessions, comptes.c.email).outerjoin(comptes, comptes.c.id == sessions.c.compte_id)
            .where(sessions.c.empreinte == empreinte)).first()
        if ligne is None:
            return None
        return Session(ligne.empreinte, ligne.csrf, en_utc(ligne.cree_le), en_utc(ligne.vu_le),
                       en_utc(ligne.expire_le), ligne.email, ligne.adresse)

    def enregistrer(self, session: Session) -> None:
        self._connexion.execute(update(sessions).where(sessions.c.empreinte == session.empreinte)
                                .values(vu_le=en_utc(session.vu_le)))

    def supprimer(self, empreinte: str) -> None:
        self._connexion.execute(delete(sessions).where(sessions.c.empreinte == empreinte))

    def supprimer_du_compte(self, email: str, sauf: Optional[str] = None) -> None:
        requete = delete(sessions).where(sessions.c.compte_id == id_du_compte(self._connexion, email))
        if sauf is not None:
            requete = requete.where(sessions.c.empreinte != sauf)
        self._connexion.execute(requete)

    def purger(self, maintenant: datetime) -> None:
        self._connexion.execute(delete(sessions).where(sessions.c.expire_le <= en_utc(maintenant)))


class EntrepotTentativesSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter_echec(self, cle: str, quand: datetime) -> None:
        self._connexion.execute(insert(tentatives_connexion).values(cle=cle, quand=en_utc(quand)))

    def echecs(self, cle: str, depuis: datetime) -> list[datetime]:
        return [en_utc(quand) for quand in self._connexion.execute(
            select(tentatives_connexion.c.quand).where(tentatives_connexion.c.cle == cle,
                                                       tentatives_connexion.c.quand >= en_utc(depuis))
            .order_by(tentatives_connexion.c.quand)).scalars()]

    def effacer(self, cle: str) -> None:
        self._connexion.execute(delete(tentatives_connexion).where(tentatives_connexion.c.cle == cle))

    def purger(self, avant: datetime) -> None:
        self._connexion.execute(delete(tentatives_connexion).where(tentatives_connexion.c.quand < en_utc(avant)))


class EntrepotAuditSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter(self, evenement: EvenementAudit) -> None:
        self._connexion.execute(insert(journal_audit).values(
            genre=evenement.genre, quand=en_utc(evenement.quand), acteur=evenement.acteur, adresse=evenement.adresse,
            cible=evenement.cible, detail=evenement.detail))

    def derniers(self, nombre: int = 50) -> list[EvenementAudit]:
        lignes = self._connexion.execute(
            select(journal_audit).order_by(journal_audit.c.quand.desc(), journal_audit.c.id.desc()).limit(nombre))
        return [EvenementAudit(ligne.genre, en_utc(ligne.quand), ligne.acteur, ligne.adresse, ligne.cible, ligne.detail)
                for ligne in lignes]
