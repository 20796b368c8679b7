"""Ce que les dépôts ont en commun (montants au centime, horodatages en UTC) et le dépôt des règles.

Le domaine compte en flottants ; la base, en décimaux au centime (des `Decimal` côté Python, que
`tables.MontantAuCentime` range en entiers de centimes sous SQLite). La conversion passe par
`repr` (0.1 devient 0.10, pas 0.1000000000000000055…) et arrondit au centime pair. Un montant
que la colonne ne peut pas tenir est refusé avant l'écriture, en nommant le champ.
"""
import json
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Callable, Optional

import orjson
from sqlalchemy import JSON, Connection, Dialect, Table, TypeDecorator, exc, select, text
from sqlalchemy.dialects import postgresql, sqlite

from forms.dossier import montant_exact
from instruction.erreurs import SaisieRefusee
from instruction.storage.tables import ECHELLE_MONTANT, PRECISION_MONTANT, jeux_regles
from instruction.temps import Horloge, maintenant

CENTIME = Decimal(1).scaleb(-ECHELLE_MONTANT)
PLAFOND = Decimal(10) ** (PRECISION_MONTANT - ECHELLE_MONTANT)  # 10^12 €: the first amount that does not fit


def en_decimal(montant: Optional[float], champ: str, reference: Optional[str] = None) -> Optional[Decimal]:
    """Le montant du domaine au centime, ou une `SaisieRefusee` qui nomme le champ s'il ne tient pas."""
    if montant is None:
        return None
    try:
        exact = montant_exact(float(montant))
    except (TypeError, ValueError, InvalidOperation):
        raise SaisieRefusee(champ, f"montant illisible « {montant!r} »", reference) from None
    if not exact.is_finite() or abs(exact) >= PLAFOND:
        raise _trop_grand(montant, champ, reference)
    au_centime = exact.quantize(CENTIME, rounding=ROUND_HALF_EVEN)
    if abs(au_centime) >= PLAFOND:  # 999 999 999 999.995 rounds up out of the column
        raise _trop_grand(montant, champ, reference)
    if au_centime == 0 and exact != 0:
        # Stored as 0.00 it would change meaning (a total cost must be positive): refuse it instead.
        raise SaisieRefusee(champ, f"montant {montant} inférieur au centime", reference)
    return au_centime


def _trop_grand(montant: float, champ: str, reference: Optional[str]) -> SaisieRefusee:
    maximum = f"{PLAFOND - CENTIME:,.2f}".replace(",", " ").replace(".", ",")
    return SaisieRefusee(champ, f"montant {montant} trop grand pour être enregistré (maximum {maximum} €)",
                         reference)


def en_flottant(montant: Optional[Decimal]) -> Optional[float]:
    return None if montant is None else float(montant)


def en_utc(instant: Optional[datetime]) -> Optional[datetime]:
    """L'instant en UTC. SQLite garde l'heure sans son fuseau : on n'y écrit que de l'UTC, et un instant
    naïf est lu comme de l'UTC (celui que donnent les horloges du domaine)."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        return instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(timezone.utc)


# What json.dumps refuses, orjson must refuse too (then json.dumps says why): no dates, dataclasses, numpy.
_OPTIONS_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def en_json_rapide(document: Any) -> bytes:
    """Le texte JSON d'un document, comme `json.dumps` l'écrirait (à l'espacement et aux échappements près),
    une dizaine de fois plus vite : orjson, et `json.dumps` pour ce qu'orjson ne sait pas écrire."""
    try:
        return orjson.dumps(document, option=_OPTIONS_ORJSON)
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, or what json.dumps refuses too
        return json.dumps(document).encode()


class DocumentJsonRapide(TypeDecorator):
    """Le `DOCUMENT_JSON` des tables (SQL NULL pour None), écrit par `en_json_rapide` : pour les gros documents
    écrits par lots (le résultat d'une évaluation, ~13 Ko), dont l'encodage par `json.dumps` coûtait cher."""
    impl = JSON(none_as_null=True)
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any]:
        if dialect.name == "postgresql" and dialect.driver == "psycopg":
            from psycopg.types.json import Json  # psycopg's own wrapper, given the encoder to use
            return lambda document: None if document is None else Json(document, dumps=en_json_rapide)
        return lambda document: None if document is None else en_json_rapide(document).decode()


# PostgreSQL compresses a large value (an evaluation's result) with pglz unless told otherwise; lz4, where the
# server has it (PostgreSQL 14 and later, built with it), writes about twice as fast. Set for the transaction only,
# and not at all on a server without it (no row: no error that would abort the transaction). Reading is unchanged:
# each stored value names its own compression.
_COMPRESSION_LZ4 = text("SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings "
                        "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")


def compresser_en_lz4(connexion: Connection) -> None:
    """Les gros documents écrits dans cette transaction sont compressés en lz4 (PostgreSQL qui le permet)."""
    if connexion.dialect.name == "postgresql":
        connexion.execute(_COMPRESSION_LZ4)


def viole_l_unicite(erreur: exc.IntegrityError, table: Table, colonne: str) -> bool:
    """L'erreur vient-elle de la contrainte d'unicité de cette seule colonne (`uq_<table>_<colonne>`) ?"""
    contrainte = getattr(getattr(erreur.orig, "diag", None), "constraint_name", None)  # psycopg
    if contrainte is not None:
        return contrainte == f"uq_{table.name}_{colonne}"
    # sqlite3 only says it in words, naming every column of the constraint.
    return str(erreur.orig).strip() == f"UNIQUE constraint failed: {table.name}.{colonne}"


def inserer_sauf_doublon(connexion: Connection, table: Table, valeurs: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT DO NOTHING : deux transactions qui écrivent la même ligne ne se font pas échouer."""
    dialecte = postgresql if connexion.dialect.name == "postgresql" else sqlite
    connexion.execute(dialecte.insert(table).values(**valeurs).on_conflict_do_nothing())


class EntrepotReglesSql:
    """Les fichiers de chaque version de règles employée, par empreinte ; on ne les écrit qu'une fois."""

    def __init__(self, connexion: Connection, deja_conservees: set[str], horloge: Horloge = maintenant):
        self._connexion = connexion
        self._horloge = horloge
        self._deja_conservees = deja_conservees  # committed by earlier units of work: no query at all
        self.conservees_ici: set[str] = set()  # become "already kept" once this transaction commits

    def conserver(self, empreinte: str, fichiers: dict[str, str]) -> None:
        if empreinte in self._deja_conservees or empreinte in self.conservees_ici:
            return
        present = self._connexion.execute(
            select(jeux_regles.c.empreinte).where(jeux_regles.c.empreinte == empreinte)).first()
        if present is None:  # the texts are only sent when missing; a concurrent writer is not an error
            inserer_sauf_doublon(self._connexion, jeux_regles,
                                 {"empreinte": empreinte, "fichiers": dict(fichiers), "conserve_le": self._horloge()})
        self.conservees_ici.add(empreinte)

    def obtenir(self, empreinte: str) -> Optional[dict[str, str]]:
        return self._connexion.execute(
            select(jeux_regles.c.fichiers).where(jeux_regles.c.empreinte == empreinte)).scalar_one_or_none()
