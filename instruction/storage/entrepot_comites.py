"""Le dépôt des comités techniques : la séance, ses membres et son ordre du jour, dans l'ordre.

L'ordre du jour désigne les dossiers par leur référence ; en base, il pointe vers leurs lignes,
si bien qu'un comité ne peut inscrire qu'un dossier enregistré.

`enregistrer` réécrit membres et ordre du jour en entier : qui modifie un comité l'obtient avec
`pour_modifier=True`, sans quoi deux inscriptions simultanées garderaient seulement la dernière.
"""
from itertools import groupby
from typing import Any, Optional

from sqlalchemy import Connection, Select, delete, exc, insert, select, update

from instruction.comite.enveloppes import Enveloppe
from instruction.comite.reunion import Comite, Membre
from instruction.erreurs import ComiteExistant, Refus
from instruction.storage.connexion import ErreurStockage
from instruction.storage.entrepots import en_utc, viole_l_unicite
from instruction.storage.tables import comite_enveloppes, comite_membres, comites, dossiers, ordre_du_jour


def _colonnes_du_comite(comite: Comite) -> dict[str, Any]:
    return {"code": comite.code, "date": comite.date, "contrat": comite.contrat, "controles": list(comite.controles),
            "evalue_le": en_utc(comite.evalue_le), "version_regles": comite.version_regles}


class EntrepotComitesSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter(self, comite: Comite) -> None:
        try:
            comite_id = self._connexion.execute(
                insert(comites).values(**_colonnes_du_comite(comite))).inserted_primary_key[0]
        except exc.IntegrityError as erreur:
            # The domain's own error: a concurrent creation of the same code reads like a sequential one.
            if viole_l_unicite(erreur, comites, "code"):
                raise ComiteExistant(comite.code) from erreur
            raise
        self._ecrire_membres_et_ordre(comite_id, comite)

    def enregistrer(self, comite: Comite) -> None:
        comite_id = self._connexion.execute(select(comites.c.id).where(comites.c.code == comite.code)).scalar()
        if comite_id is None:
            raise ErreurStockage(f"comité technique « {comite.code} » absent de la base : ajoutez-le d'abord")
        self._connexion.execute(update(comites).where(comites.c.id == comite_id).values(**_colonnes_du_comite(comite)))
        # Members and agenda are the committee's current state, not a history: rewritten whole.
        self._connexion.execute(delete(comite_membres).where(comite_membres.c.comite_id == comite_id))
        self._connexion.execute(delete(ordre_du_jour).where(ordre_du_jour.c.comite_id == comite_id))
        self._ecrire_membres_et_ordre(comite_id, comite)

    def _ecrire_membres_et_ordre(self, comite_id: int, comite: Comite) -> None:
        if comite.membres:
            self._connexion.execute(insert(comite_membres), [
                {"comite_id": comite_id, "position": position, "structure": m.structure, "representant": m.representant,
                 "present": m.present}
                for position, m in enumerate(comite.membres)])
        if comite.ordre_du_jour:
            ids = self._ids_des_dossiers(comite)
            self._connexion.execute(insert(ordre_du_jour), [
                {"comite_id": comite_id, "position": position, "dossier_id": ids[reference]}
                for position, reference in enumerate(comite.ordre_du_jour)])

    def _ids_des_dossiers(self, comite: Comite) -> dict[str, int]:
        ids = dict(self._connexion.execute(
            select(dossiers.c.reference, dossiers.c.id).where(dossiers.c.reference.in_(comite.ordre_du_jour))).all())
        inconnue = next((r for r in comite.ordre_du_jour if r not in ids), None)
        if inconnue is not None:
            raise Refus(f"dossier inconnu à l'ordre du jour du comité « {comite.code} » : "
                        "enregistrez-le avant de l'inscrire", inconnue, "ordre_du_jour")
        return ids

    def obtenir(self, code: str, pour_modifier: bool = False) -> Optional[Comite]:
        """`pour_modifier` verrouille le comité jusqu'à la fin de la transaction (comme les dossiers)."""
        requete = select(comites).where(comites.c.code == code)
        if pour_modifier:
            # FOR NO KEY UPDATE (PostgreSQL), taken by the first query: members and agenda are read after
            # it, so they include whatever the previous holder committed. SQLite: BEGIN IMMEDIATE already
            # made this unit of work the only writer.
            requete = requete.with_for_update(key_share=True)
        trouves = self._charger(requete)
        return trouves[0] if trouves else None

    def lister(self) -> list[Comite]:
        return self._charger(select(comites).order_by(comites.c.date, comites.c.code))

    def codes_pour(self, reference: str) -> frozenset[str]:
        return frozenset(self._connexion.execute(
            select(comites.c.code).join(ordre_du_jour, ordre_du_jour.c.comite_id == comites.c.id)
            .join(dossiers, dossiers.c.id == ordre_du_jour.c.dossier_id)
            .where(dossiers.c.reference == reference)).scalars())

    def _charger(self, requete: Select) -> list[Comite]:
        """Trois requêtes quel que soit le nombre de comités : les séances, les membres, les ordres du jour."""
        lignes = list(self._connexion.execute(requete))
        if not lignes:
            return []
        ids = [ligne.id for ligne in lignes]
        membres = self._connexion.execute(
            select(comite_membres).where(comite_membres.c.comite_id.in_(ids))
            .order_by(comite_membres.c.comite_id, comite_membres.c.position))
        par_comite = {i: [Membre(m.structure, m.representant, m.present) for m in groupe]
                      for i, groupe in groupby(membres, key=lambda m: m.comite_id)}
        ordres = self._connexion.execute(
            select(ordre_du_jour.c.comite_id, dossiers.c.reference)
            .join(dossiers, dossiers.c.id == ordre_du_jour.c.dossier_id)
            .where(ordre_du_jour.c.comite_id.in_(ids))
            .order_by(ordre_du_jour.c.comite_id, ordre_du_jour.c.position))
        ordre_par_comite = {i: [o.reference for o in groupe]
                            for i, groupe in groupby(ordres, key=lambda o: o.comite_id)}
        return [Comite(code=ligne.code, date=ligne.date, contrat=ligne.contrat, membres=par_comite.get(ligne.id, []),
                       ordre_du_jour=ordre_par_comite.get(ligne.id, []), controles=list(ligne.controles),
                       evalue_le=en_utc(ligne.evalue_le), version_regles=ligne.version_regles)
                for ligne in lignes]

    # The meeting's budget envelopes (migration 0006): read and rewritten whole, apart from the meeting itself.
    def _id(self, code: str) -> int:
        comite_id = self._connexion.execute(select(comites.c.id).where(comites.c.code == code)).scalar()
        if comite_id is None:
            raise ErreurStockage(f"comité technique « {code} » absent de la base : ajoutez-le d'abord")
        return comite_id

    def enveloppes(self, code: str) -> list[Enveloppe]:
        lignes = self._connexion.execute(
            select(comite_enveloppes).join(comites, comites.c.id == comite_enveloppes.c.comite_id)
            .where(comites.c.code == code).order_by(comite_enveloppes.c.position))
        return [Enveloppe(e.financeur, e.dispositif, e.montant, e.source) for e in lignes]

    def enregistrer_enveloppes(self, code: str, enveloppes: list[Enveloppe]) -> None:
        """Réécrit les enveloppes de la réunion ; qui les modifie a obtenu la réunion `pour_modifier`."""
        comite_id = self._id(code)
        self._connexion.execute(delete(comite_enveloppes).where(comite_enveloppes.c.comite_id == comite_id))
        if enveloppes:
            self._connexion.execute(insert(comite_enveloppes), [
                {"comite_id": comite_id, "position": position, "financeur": e.financeur, "dispositif": e.dispositif,
                 "montant": e.montant, "source": e.source}
                for position, e in enumerate(enveloppes)])
