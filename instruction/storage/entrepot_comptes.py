"""Les dépôts des comptes (avec leurs comités) et des jetons d'API.

Les comptes sont désignés par leur adresse électronique (déjà en minuscules) ; en base, les jetons et les
sessions pointent vers la ligne du compte. Les horodatages sont rendus en UTC (`entrepots.en_utc`).
"""
from typing import Any, Optional

from sqlalchemy import Connection, Select, delete, exc, insert, select, update

from instruction.comptes.compte import Compte
from instruction.comptes.erreurs import CompteExistant
from instruction.comptes.jetons import JetonApi
from instruction.storage.connexion import ErreurStockage
from instruction.storage.entrepots import en_utc, viole_l_unicite
from instruction.storage.tables import compte_comites, comptes, jetons_api


def id_du_compte(connexion: Connection, email: Optional[str]) -> Optional[int]:
    if email is None:
        return None
    compte_id = connexion.execute(select(comptes.c.id).where(comptes.c.email == email)).scalar()
    if compte_id is None:
        raise ErreurStockage(f"compte « {email} » absent de la base : ajoutez-le d'abord")
    return compte_id


def _colonnes(compte: Compte) -> dict[str, Any]:
    return {"email": compte.email, "role": compte.role, "nom": compte.nom,
            "hash_mot_de_passe": compte.hash_mot_de_passe, "actif": compte.actif, "cree_le": en_utc(compte.cree_le),
            "confirme_le": en_utc(compte.confirme_le), "confirmation": compte.confirmation}


class EntrepotComptesSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter(self, compte: Compte) -> None:
        try:
            compte_id = self._connexion.execute(insert(comptes).values(**_colonnes(compte))).inserted_primary_key[0]
        except exc.IntegrityError as erreur:
            if viole_l_unicite(erreur, comptes, "email"):  # created meanwhile by another process
                raise CompteExistant(compte.email) from erreur
            raise
        self._ecrire_comites(compte_id, compte)

    def enregistrer(self, compte: Compte) -> None:
        compte_id = id_du_compte(self._connexion, compte.email)
        self._connexion.execute(update(comptes).where(comptes.c.id == compte_id).values(**_colonnes(compte)))
        self._connexion.execute(delete(compte_comites).where(compte_comites.c.compte_id == compte_id))
        self._ecrire_comites(compte_id, compte)

    def _ecrire_comites(self, compte_id: int, compte: Compte) -> None:
        if compte.comites:
            self._connexion.execute(insert(compte_comites), [{"compte_id": compte_id, "comite": code}
                                                             for code in sorted(compte.comites)])

    def obtenir(self, email: str) -> Optional[Compte]:
        trouves = self._charger(select(comptes).where(comptes.c.email == email))
        return trouves[0] if trouves else None

    def par_confirmation(self, empreinte: str) -> Optional[Compte]:
        trouves = self._charger(select(comptes).where(comptes.c.confirmation == empreinte))
        return trouves[0] if trouves else None

    def lister(self) -> list[Compte]:
        return self._charger(select(comptes).order_by(comptes.c.email))

    def _charger(self, requete: Select) -> list[Compte]:
        """Deux requêtes quel que soit le nombre de comptes : les comptes, puis leurs comités."""
        lignes = list(self._connexion.execute(requete))
        if not lignes:
            return []
        codes: dict[int, set[str]] = {}
        for compte_id, code in self._connexion.execute(
                select(compte_comites.c.compte_id, compte_comites.c.comite)
                .where(compte_comites.c.compte_id.in_([ligne.id for ligne in lignes]))):
            codes.setdefault(compte_id, set()).add(code)
        return [Compte(ligne.email, ligne.role, ligne.nom, ligne.hash_mot_de_passe, en_utc(ligne.cree_le), ligne.actif,
                       frozenset(codes.get(ligne.id, ())), en_utc(ligne.confirme_le), ligne.confirmation)
                for ligne in lignes]


class EntrepotJetonsSql:
    def __init__(self, connexion: Connection):
        self._connexion = connexion

    def ajouter(self, jeton: JetonApi) -> None:
        self._connexion.execute(insert(jetons_api).values(
            prefixe=jeton.prefixe, empreinte=jeton.empreinte, nom=jeton.nom, role=jeton.role,
            compte_id=id_du_compte(self._connexion, jeton.compte), cree_par=jeton.cree_par,
            cree_le=en_utc(jeton.cree_le), revoque_le=en_utc(jeton.revoque_le), utilise_le=en_utc(jeton.utilise_le)))

    def enregistrer(self, jeton: JetonApi) -> None:
        self._connexion.execute(update(jetons_api).where(jetons_api.c.prefixe == jeton.prefixe).values(
            revoque_le=en_utc(jeton.revoque_le), utilise_le=en_utc(jeton.utilise_le)))

    def obtenir(self, prefixe: str) -> Optional[JetonApi]:
        trouves = self._charger(self._requete().where(jetons_api.c.prefixe == prefixe))
        return trouves[0] if trouves else None

    def par_empreinte(self, empreinte: str) -> Optional[JetonApi]:
        trouves = self._charger(self._requete().where(jetons_api.c.empreinte == empreinte))
        return trouves[0] if trouves else None

    def lister(self) -> list[JetonApi]:
        return self._charger(self._requete().order_by(jetons_api.c.cree_le.desc(), jetons_api.c.id.desc()))

    @staticmethod
    def _requete() -> Select:
        return select(jetons_api, comptes.c.email).outerjoin(comptes, comptes.c.id == jetons_api.c.compte_id)

    def _charger(self, requete: Select) -> list[JetonApi]:
        return [JetonApi(ligne.prefixe, ligne.empreinte, ligne.nom, ligne.role, ligne.cree_par, en_utc(ligne.cree_le),
                         ligne.email, en_utc(ligne.revoque_le), en_utc(ligne.utilise_le))
                for ligne in self._connexion.execute(requete)]
