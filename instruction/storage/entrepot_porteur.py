"""Les entrepôts du parcours du porteur : le suivi des brouillons, les pièces jointes (leur contenu à part, lu
seulement au téléchargement), les messages et les demandes de compléments, chacun rattaché à son dossier."""
from dataclasses import fields
from typing import Any, Optional

from sqlalchemy import Connection, Table, func, insert, select, update

from instruction.dossiers.parcours import Brouillon, DemandeComplements, Message, Piece
from instruction.erreurs import DossierIntrouvable
from instruction.storage.entrepots import en_utc
from instruction.storage.tables import brouillons, demandes_complements, dossiers, messages, pieces
from instruction.temps import Horloge, maintenant

_HORODATAGES = ("depose_le", "retiree_le", "ecrit_le", "demandee_le", "repondue_le")


def _instants(valeurs: dict[str, Any]) -> dict[str, Any]:
    return {k: en_utc(v) if k in _HORODATAGES else v for k, v in valeurs.items()}


class _ParDossier:
    def __init__(self, connexion: Connection):
        self._connexion = connexion
        self._ids: dict[str, int] = {}

    def _id(self, reference: str) -> int:
        if reference not in self._ids:
            trouve = self._connexion.execute(
                select(dossiers.c.id).where(dossiers.c.reference == reference)).scalar_one_or_none()
            if trouve is None:
                raise DossierIntrouvable(reference)
            self._ids[reference] = trouve
        return self._ids[reference]

    def _lignes(self, table: Table, reference: str, colonnes=None):
        colonnes = colonnes or [c for c in table.c if c.name not in ("id", "dossier_id")]
        requete = select(*colonnes).where(table.c.dossier_id == self._id(reference)).order_by(table.c.numero)
        return self._connexion.execute(requete).mappings().all()


class EntrepotBrouillonsSql(_ParDossier):
    def __init__(self, connexion: Connection, horloge: Horloge = maintenant):
        super().__init__(connexion)
        self._horloge = horloge

    def obtenir(self, reference: str) -> Optional[Brouillon]:
        ligne = self._connexion.execute(
            select(brouillons).join(dossiers, dossiers.c.id == brouillons.c.dossier_id)
            .where(dossiers.c.reference == reference)).mappings().first()
        if ligne is None:
            return None
        return Brouillon(reference, ligne["version"], tuple(ligne["etapes"]), ligne["derniere_etape"],
                         ligne["evaluation_depot"], en_utc(ligne["depose_le"]))

    def enregistrer(self, brouillon: Brouillon) -> None:
        dossier_id = self._id(brouillon.reference)
        valeurs = {"version": brouillon.version, "etapes": list(brouillon.etapes),
                   "derniere_etape": brouillon.derniere_etape, "evaluation_depot": brouillon.evaluation_depot,
                   "depose_le": en_utc(brouillon.depose_le), "modifie_le": en_utc(self._horloge())}
        modifiees = self._connexion.execute(
            update(brouillons).where(brouillons.c.dossier_id == dossier_id).values(**valeurs)).rowcount
        if not modifiees:
            self._connexion.execute(insert(brouillons).values(dossier_id=dossier_id, **valeurs))


class EntrepotPiecesSql(_ParDossier):
    _COLONNES = [c for c in pieces.c if c.name not in ("id", "dossier_id", "contenu")]

    def ajouter(self, piece: Piece, contenu: bytes) -> None:
        valeurs = {f.name: getattr(piece, f.name) for f in fields(Piece) if f.name != "reference"}
        self._connexion.execute(insert(pieces).values(dossier_id=self._id(piece.reference), contenu=contenu,
                                                      **_instants(valeurs)))

    def lister(self, reference: str) -> list[Piece]:
        return [Piece(reference=reference, **{k: (en_utc(v) if k in _HORODATAGES else v) for k, v in ligne.items()})
                for ligne in self._lignes(pieces, reference, self._COLONNES)]

    def dernier_numero(self, reference: str) -> int:
        return self._connexion.execute(select(func.coalesce(func.max(pieces.c.numero), 0))
                                       .where(pieces.c.dossier_id == self._id(reference))).scalar_one()

    def contenu(self, reference: str, numero: int) -> Optional[bytes]:
        return self._connexion.execute(select(pieces.c.contenu).where(
            pieces.c.dossier_id == self._id(reference), pieces.c.numero == numero)).scalar_one_or_none()

    def enregistrer(self, piece: Piece) -> None:
        self._connexion.execute(update(pieces).where(
            pieces.c.dossier_id == self._id(piece.reference), pieces.c.numero == piece.numero)
            .values(retiree_le=en_utc(piece.retiree_le)))


class EntrepotMessagesSql(_ParDossier):
    def ajouter(self, message: Message) -> None:
        valeurs = {f.name: getattr(message, f.name) for f in fields(Message) if f.name != "reference"}
        self._connexion.execute(insert(messages).values(dossier_id=self._id(message.reference), **_instants(valeurs)))

    def lister(self, reference: str) -> list[Message]:
        return [Message(reference=reference, **{k: (en_utc(v) if k in _HORODATAGES else v) for k, v in ligne.items()})
                for ligne in self._lignes(messages, reference)]


class EntrepotComplementsSql(_ParDossier):
    def _valeurs(self, demande: DemandeComplements) -> dict[str, Any]:
        valeurs = {f.name: getattr(demande, f.name) for f in fields(DemandeComplements) if f.name != "reference"}
        valeurs["champs"] = list(demande.champs)
        return _instants(valeurs)

    def ajouter(self, demande: DemandeComplements) -> None:
        self._connexion.execute(insert(demandes_complements).values(dossier_id=self._id(demande.reference),
                                                                    **self._valeurs(demande)))

    def enregistrer(self, demande: DemandeComplements) -> None:
        self._connexion.execute(update(demandes_complements).where(
            demandes_complements.c.dossier_id == self._id(demande.reference),
            demandes_complements.c.numero == demande.numero).values(**self._valeurs(demande)))

    def lister(self, reference: str) -> list[DemandeComplements]:
        demandes = []
        for ligne in self._lignes(demandes_complements, reference):
            valeurs = {k: (en_utc(v) if k in _HORODATAGES else v) for k, v in ligne.items()}
            valeurs["champs"] = tuple(valeurs["champs"])
            demandes.append(DemandeComplements(reference=reference, **valeurs))
        return demandes
