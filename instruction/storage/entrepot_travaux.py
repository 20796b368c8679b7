"""Le dépôt des travaux par lots (`instruction.travaux`) : une ligne par travail, une par élément.

L'avancement (`faits`, `echecs`) est tenu dans la ligne du travail au fil des issues notées : la page qui
le suit ne compte pas les éléments.
"""
from typing import Optional

from sqlalchemy import Connection, Row, and_, bindparam, func, insert, or_, select, update

from instruction.storage.entrepots import en_utc
from instruction.storage.tables import travaux, travaux_elements
from instruction.travaux import ECHOUE, EN_ATTENTE, EN_COURS, INTERROMPU, REUSSI, ElementTravail, Issue, Travail

NOTER_ELEMENT = (update(travaux_elements)
                 .where(and_(travaux_elements.c.travail_id == bindparam("numero"),
                             travaux_elements.c.position == bindparam("rang"),
                             travaux_elements.c.etat == EN_ATTENTE))
                 .values(etat=bindparam("nouvel_etat"), message=bindparam("texte"), fini_le=bindparam("instant")))


def _travail(ligne: Row, elements: list[ElementTravail]) -> Travail:
    return Travail(ligne.nature, ligne.libelle, ligne.compte, ligne.auteur, ligne.total, en_utc(ligne.cree_le),
                   ligne.processus, dict(ligne.parametres or {}), ligne.etat, ligne.faits, ligne.echecs,
                   en_utc(ligne.battement), en_utc(ligne.fini_le) if ligne.fini_le else None, ligne.id, elements)


class EntrepotTravauxSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter(self, travail: Travail) -> int:
        numero = self._connexion.execute(insert(travaux).values(
            nature=travail.nature, libelle=travail.libelle, compte=travail.compte, auteur=travail.auteur,
            parametres=travail.parametres, etat=travail.etat, total=travail.total, faits=0, echecs=0,
            processus=travail.processus, cree_le=travail.cree_le, battement=travail.battement or travail.cree_le,
        )).inserted_primary_key[0]
        if travail.elements:
            self._connexion.execute(insert(travaux_elements), [
                {"travail_id": numero, "position": e.position, "element": e.element, "etat": e.etat,
                 "message": e.message, "fini_le": e.fini_le} for e in travail.elements])
        return numero

    def obtenir(self, numero: int) -> Optional[Travail]:
        ligne = self._connexion.execute(select(travaux).where(travaux.c.id == numero)).first()
        if ligne is None:
            return None
        elements = [ElementTravail(e.position, e.element, e.etat, e.message, en_utc(e.fini_le) if e.fini_le else None)
                    for e in self._connexion.execute(select(travaux_elements)
                                                     .where(travaux_elements.c.travail_id == numero)
                                                     .order_by(travaux_elements.c.position))]
        return _travail(ligne, elements)

    def noter(self, numero: int, issues: list[tuple[int, Issue]], quand) -> None:
        if issues:
            # Only elements still waiting change: an outcome noted twice (a retried write) is counted once.
            notes = 0
            for position, issue in issues:
                notes += self._connexion.execute(NOTER_ELEMENT, {
                    "numero": numero, "rang": position, "nouvel_etat": REUSSI if issue.reussi else ECHOUE,
                    "texte": issue.message, "instant": quand}).rowcount
            echecs = sum(1 for _, issue in issues if not issue.reussi)
            if notes != len(issues):
                echecs = self._connexion.execute(select(func.count()).where(and_(
                    travaux_elements.c.travail_id == numero, travaux_elements.c.etat == ECHOUE))).scalar_one()
                faits = self._connexion.execute(select(func.count()).where(and_(
                    travaux_elements.c.travail_id == numero, travaux_elements.c.etat != EN_ATTENTE))).scalar_one()
                self._connexion.execute(update(travaux).where(travaux.c.id == numero).values(
                    faits=faits, echecs=echecs, battement=quand))
                return
            self._connexion.execute(update(travaux).where(travaux.c.id == numero).values(
                faits=travaux.c.faits + notes, echecs=travaux.c.echecs + echecs, battement=quand))
        else:
            self.battre(numero, quand)

    def battre(self, numero: int, quand) -> None:
        self._connexion.execute(update(travaux).where(travaux.c.id == numero).values(battement=quand))

    def terminer(self, numero: int, etat: str, quand) -> None:
        self._connexion.execute(update(travaux).where(and_(travaux.c.id == numero, travaux.c.etat == EN_COURS))
                                .values(etat=etat, fini_le=quand, battement=quand))

    def lister(self, nombre: int) -> list[Travail]:
        requete = select(travaux).order_by(travaux.c.cree_le.desc(), travaux.c.id.desc()).limit(nombre)
        return [_travail(ligne, []) for ligne in self._connexion.execute(requete)]

    def avancer(self, numero: int, faits: int, total: int, quand) -> None:
        self._connexion.execute(update(travaux).where(travaux.c.id == numero).values(
            faits=faits, total=total, battement=quand))

    def completer(self, numero: int, issues: list[Issue], quand) -> None:
        if issues:
            self._connexion.execute(insert(travaux_elements), [
                {"travail_id": numero, "position": position, "element": issue.element,
                 "etat": REUSSI if issue.reussi else ECHOUE, "message": issue.message, "fini_le": quand}
                for position, issue in enumerate(issues, 1)])
        self._connexion.execute(update(travaux).where(travaux.c.id == numero).values(
            total=len(issues), faits=len(issues), echecs=sum(1 for i in issues if not i.reussi), battement=quand))

    def processus_en_cours(self) -> list[str]:
        return list(self._connexion.execute(select(travaux.c.processus).distinct()
                                            .where(travaux.c.etat == EN_COURS)).scalars())

    def interrompre(self, muets_avant, quand, processus: tuple[str, ...] = ()) -> int:
        condition = travaux.c.battement < muets_avant
        if processus:
            condition = or_(condition, travaux.c.processus.in_(processus))
        return self._connexion.execute(update(travaux).where(and_(travaux.c.etat == EN_COURS, condition))
                                       .values(etat=INTERROMPU, fini_le=quand)).rowcount
