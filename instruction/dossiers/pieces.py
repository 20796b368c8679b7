"""Les pièces jointes d'un dossier : PDF, JPEG ou PNG reconnus à leur contenu (jamais à leur nom ni au type
annoncé par le navigateur), 10 Mo au plus, gardées avec leur empreinte sha256.

On ne les rend qu'à qui peut voir le dossier (politique d'accès, action « voir »), et toujours en
téléchargement : l'entrée qui les sert ne les montre jamais dans la page.
"""
import hashlib
import re
import unicodedata
from dataclasses import replace
from typing import Optional

from instruction.acces import Agent
from instruction.dossiers import services
from instruction.dossiers.cycle import BROUILLON, DEPOSE, EN_INSTRUCTION
from instruction.dossiers.parcours import Piece
from instruction.erreurs import Introuvable, Refus, SaisieRefusee
from instruction.temps import Horloge, maintenant

TAILLE_MAX = 10 * 1024 * 1024  # 10 Mo
LONGUEUR_NOM = 150
AUTRE = ""  # a document the holder adds beyond those the pre-diagnostic asks for
# The first bytes of each accepted format (their « magic numbers »), and the type they are served as.
SIGNATURES = ((b"%PDF-", "application/pdf", "pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
              (b"\xff\xd8\xff", "image/jpeg", "jpg"))
ETATS_AJOUT = (BROUILLON, DEPOSE, EN_INSTRUCTION)
REFUS_TYPE = ("Le fichier doit être un PDF, un JPEG ou un PNG : son contenu n'est d'aucun de ces formats "
              "(son nom ne suffit pas)")


class PieceIntrouvable(Introuvable):
    def __init__(self, reference: str, numero: int):
        super().__init__(f"pièce n° {numero} introuvable", reference)


def reconnaitre(contenu: bytes) -> Optional[tuple[str, str]]:
    """(type MIME, extension) d'après les premiers octets ; None pour tout autre contenu."""
    return next(((mime, ext) for signature, mime, ext in SIGNATURES if contenu.startswith(signature)), None)


def nom_sur(nom: str, extension: str) -> str:
    """Un nom de fichier sans chemin ni caractère de contrôle, borné, avec l'extension de son vrai format."""
    nom = unicodedata.normalize("NFC", (nom or "").replace("\\", "/").rsplit("/", 1)[-1])
    nom = "".join(c for c in nom if unicodedata.category(c)[0] != "C").strip(" .")
    base = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", nom)[:LONGUEUR_NOM].strip(" .") or "piece"
    return f"{base}.{extension}"


def verifier_contenu(contenu: bytes) -> tuple[str, str]:
    """(type MIME, extension), ou `SaisieRefusee` qui dit pourquoi le fichier est refusé."""
    if not contenu:
        raise SaisieRefusee("fichier", "Choisissez un fichier : celui-ci est vide")
    if len(contenu) > TAILLE_MAX:
        raise SaisieRefusee("fichier", "Le fichier doit faire 10 Mo au plus")
    format_ = reconnaitre(contenu)
    if format_ is None:
        raise SaisieRefusee("fichier", REFUS_TYPE)
    return format_


def ajouter_piece(uow, reference: str, piece: str, nom_fichier: str, contenu: bytes, agent: Agent,
                  horloge: Horloge = maintenant) -> Piece:
    """Joint un fichier au dossier, pour la pièce demandée `piece` (AUTRE : une pièce de plus)."""
    mime, extension = verifier_contenu(contenu)
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "deposer_piece")
        if dossier.etat not in ETATS_AJOUT:
            raise Refus(f"un dossier « {dossier.etat} » ne reçoit plus de pièce", reference)
        numero = uow.pieces.dernier_numero(reference) + 1
        nouvelle = Piece(numero, reference, (piece or AUTRE).strip()[:500], nom_sur(nom_fichier, extension), mime,
                         len(contenu), hashlib.sha256(contenu).hexdigest(), agent.auteur, horloge())
        uow.pieces.ajouter(nouvelle, contenu)
        uow.valider()
    return nouvelle


def retirer_piece(uow, reference: str, numero: int, agent: Agent, horloge: Horloge = maintenant) -> None:
    """Le porteur retire une pièce de son brouillon ; déposé, le dossier garde ses pièces (elles sont lues)."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "deposer_piece")
        if dossier.etat != BROUILLON:
            raise Refus("les pièces d'un dossier déposé restent jointes : ajoutez plutôt la bonne pièce", reference)
        piece = next((p for p in uow.pieces.lister(reference) if p.numero == numero and p.active), None)
        if piece is None:
            raise PieceIntrouvable(reference, numero)
        uow.pieces.enregistrer(replace(piece, retiree_le=horloge()))
        uow.valider()


def lister_pieces(uow, reference: str, agent: Agent) -> list[Piece]:
    """Les pièces jointes encore actives, dans l'ordre de leur dépôt."""
    with uow:
        services.obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        return [p for p in uow.pieces.lister(reference) if p.active]


def telecharger_piece(uow, reference: str, numero: int, agent: Agent) -> tuple[Piece, bytes]:
    """La pièce et son contenu, pour qui peut voir le dossier ; introuvable sinon (même réponse qu'absente)."""
    with uow:
        services.obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        piece = next((p for p in uow.pieces.lister(reference) if p.numero == numero), None)
        contenu = uow.pieces.contenu(reference, numero) if piece is not None else None
    if piece is None or contenu is None:
        raise PieceIntrouvable(reference, numero)
    if hashlib.sha256(contenu).hexdigest() != piece.sha256:
        raise Refus(f"la pièce n° {numero} ne correspond plus à son empreinte enregistrée : elle n'est pas servie",
                    reference)
    return piece, contenu


def pieces_manquantes(requises: tuple[str, ...], deposees: list[Piece]) -> list[str]:
    """Les pièces demandées par le pré-diagnostic auxquelles aucun fichier ne répond encore."""
    fournies = {p.piece for p in deposees if p.active}
    return [r for r in requises if r not in fournies]
