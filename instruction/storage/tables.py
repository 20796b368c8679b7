"""Le schéma de la base : une table par objet de l'instruction, l'historique en lignes filles.

Les montants sont exacts, jamais en flottant (voir `MontantAuCentime`) : `NUMERIC(14, 2)` sous
PostgreSQL et, sous SQLite, un entier de CENTIMES (qui lit le fichier voit 123456789 pour
1 234 567,89 €) ; côté Python, des `Decimal` au centime sur les deux bases. Les listes de valeurs
du contrat et les résultats d'évaluation sont en JSON (texte gardé tel quel, même sous PostgreSQL) ;
les horodatages portent leur fuseau. Les contraintes sont nommées par convention, pour que les
migrations puissent les désigner de la même façon sous SQLite et PostgreSQL.
"""
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from instruction.storage.erreurs import ErreurStockage

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
PRECISION_MONTANT, ECHELLE_MONTANT = 14, 2

metadata = MetaData(naming_convention=CONVENTION)


# SQL NULL for None: an unknown list stays distinct from an empty one, and from the JSON 'null'.
# Plain JSON rather than JSONB on PostgreSQL: JSONB reorders object keys, and an opinion is
# read back exactly as it was written (nothing queries inside these documents).
DOCUMENT_JSON = JSON(none_as_null=True)


class MontantAuCentime(TypeDecorator):
    """Un montant en euros, échangé en `Decimal` au centime : `NUMERIC(14, 2)` sous PostgreSQL, et sous
    SQLite un `BIGINT` qui compte des centimes.

    SQLite has no exact decimal storage: a NUMERIC column keeps 1234567.89 as a REAL. Integer cents are
    exact there, and up to 10^14 - 1 cents (the NUMERIC(14, 2) bound) they fit a 64-bit integer.
    Values must already be at the cent and below the bound (`entrepots.en_decimal` checks and names the
    field): anything else reaching this point is a bug, refused rather than rounded.
    """
    impl = Numeric(PRECISION_MONTANT, ECHELLE_MONTANT)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(PRECISION_MONTANT, ECHELLE_MONTANT))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, (Decimal, int)) or isinstance(value, bool):
            raise TypeError(f"montant {value!r} : un Decimal est attendu, jamais un flottant")
        centimes = Decimal(value).scaleb(ECHELLE_MONTANT)
        if not (centimes.is_finite() and centimes == centimes.to_integral_value()
                and abs(centimes) < 10 ** PRECISION_MONTANT):
            raise ValueError(f"montant {value} hors de la colonne (au centime, moins de 10^12 €)")
        return int(centimes) if dialect.name == "sqlite" else Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Optional[Decimal]:
        if value is None or dialect.name != "sqlite":
            return value
        if not isinstance(value, int):
            # A REAL or TEXT here was not written by this type: do not guess what it meant.
            raise ErreurStockage(f"montant enregistré sous une autre forme que des centimes entiers ({value!r}) : "
                                 "base SQLite créée par une version antérieure du guichet, recréez-la")
        return Decimal(value).scaleb(-ECHELLE_MONTANT)


MONTANT = MontantAuCentime()
HORODATAGE = DateTime(timezone=True)


def _dossier_id(index: bool = False) -> Column:
    return Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False, index=index)


dossiers = Table(
    "dossiers", metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String, nullable=False, unique=True),
    Column("etat", String, nullable=False, index=True),
    Column("proprietaire", String, index=True),
    Column("date_depot", Date),
    Column("porteur_nom", Text),
    Column("porteur_type", String),
    Column("porteur_siret", String),
    Column("porteur_taille", String),
    Column("porteur_rayonnement", String),
    Column("porteur_aides_minimis_3_ans", MONTANT),
    Column("porteur_activite_economique", Boolean),
    Column("projet_titre", Text),
    Column("projet_description", Text),
    Column("projet_commune_insee", String),
    Column("projet_nature", String),
    Column("projet_secteur", String),
    Column("projet_hebergement_type", String),
    Column("projet_clienteles", DOCUMENT_JSON),
    Column("projet_thematiques", DOCUMENT_JSON),
    Column("projet_transition_ecologique", Boolean),
    Column("projet_diagnostic_environnemental", Boolean),
    Column("projet_accessibilite", Boolean),
    Column("projet_labels", DOCUMENT_JSON),
    Column("projet_date_debut_travaux", Date),
    Column("projet_envergure", String),
    Column("budget_cout_total_ht", MONTANT),
    Column("budget_depenses_investissement", MONTANT),
    Column("budget_montant_sollicite", MONTANT),
    # Unknown financing (None) and "no financing" ([]) differ: the child rows alone cannot say which.
    Column("budget_financements_renseignes", Boolean, nullable=False),
    Column("cree_le", HORODATAGE, nullable=False),
    Column("modifie_le", HORODATAGE, nullable=False),
)

# The composite unique constraints below lead with dossier_id: their index serves the lookups by dossier.
financements = Table(
    "financements", metadata,
    Column("id", Integer, primary_key=True),
    _dossier_id(),
    Column("position", Integer, nullable=False),
    Column("financeur", String, nullable=False),
    Column("montant", MONTANT, nullable=False),
    Column("statut", String, nullable=False),
    UniqueConstraint("dossier_id", "position"),
)

transitions = Table(
    "transitions", metadata,
    Column("id", Integer, primary_key=True),
    _dossier_id(),
    Column("numero", Integer, nullable=False),
    Column("de", String),
    Column("vers", String, nullable=False),
    Column("auteur", String, nullable=False),
    Column("quand", HORODATAGE, nullable=False),
    Column("motif", Text, nullable=False),
    Column("comite", String),  # the meeting that made the passage, if any
    UniqueConstraint("dossier_id", "numero"),
)

evaluations = Table(
    "evaluations", metadata,
    Column("id", Integer, primary_key=True),
    _dossier_id(),
    Column("numero", Integer, nullable=False),
    Column("version_regles", String, nullable=False),
    Column("date_reference", Date, nullable=False),
    Column("avis", String),  # copied out of the result so that lists need not read the JSON
    Column("auteur", String, nullable=False),
    Column("quand", HORODATAGE, nullable=False),
    Column("resultat", DOCUMENT_JSON, nullable=False),
    Column("donnees", DOCUMENT_JSON, nullable=False),
    UniqueConstraint("dossier_id", "numero"),
)

corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True),
    _dossier_id(),
    Column("numero", Integer, nullable=False),
    Column("genre", String, nullable=False),
    Column("cible", String),
    Column("valeur", Text, nullable=False),
    Column("valeur_calculee", String),
    Column("justification", Text, nullable=False),
    Column("auteur", String, nullable=False),
    Column("quand", HORODATAGE, nullable=False),
    Column("evaluation", Integer, nullable=False),
    Column("a_revoir", Boolean, nullable=False),
    Column("motif_revue", Text, nullable=False),
    Column("retiree", Boolean, nullable=False),
    Column("retrait", Text, nullable=False),
    UniqueConstraint("dossier_id", "numero"),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True),
    _dossier_id(),
    Column("numero", Integer, nullable=False),
    Column("financeur", String, nullable=False),
    Column("decision", String, nullable=False),
    Column("motif", Text, nullable=False),
    Column("auteur", String, nullable=False),
    Column("quand", HORODATAGE, nullable=False),
    Column("comite", String),  # the committee's code as the decision names it, kept even if the committee is not
    Column("montant", MONTANT),  # migration 0006: the amount granted by a favourable decision
    Column("dispositif", String),  # migration 0006: the meeting's envelope it is charged to
    UniqueConstraint("dossier_id", "numero"),
)

comites = Table(
    "comites", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String, nullable=False, unique=True),
    Column("date", Date, nullable=False),
    Column("contrat", String, nullable=False),
    Column("controles", DOCUMENT_JSON, nullable=False),
    Column("evalue_le", HORODATAGE),
    Column("version_regles", String),
)

comite_membres = Table(
    "comite_membres", metadata,
    Column("id", Integer, primary_key=True),
    Column("comite_id", Integer, ForeignKey("comites.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("structure", String, nullable=False),
    Column("representant", String, nullable=False),
    Column("present", Boolean),  # None until the attendance is recorded
    UniqueConstraint("comite_id", "position"),
)

ordre_du_jour = Table(
    "ordre_du_jour", metadata,
    Column("comite_id", Integer, ForeignKey("comites.id"), nullable=False),
    Column("position", Integer, nullable=False),
    _dossier_id(index=True),  # "which committees examine this dossier?" and the foreign key checks
    PrimaryKeyConstraint("comite_id", "position"),
    UniqueConstraint("comite_id", "dossier_id"),
)

jeux_regles = Table(
    "jeux_regles", metadata,
    Column("empreinte", String, primary_key=True),
    Column("fichiers", DOCUMENT_JSON, nullable=False),  # {file name: text}
    Column("conserve_le", HORODATAGE, nullable=False),
)


# The accounts, their API tokens and sessions, the login failures and the audit journal (instruction.comptes).
comptes = Table(
    "comptes", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String, nullable=False, unique=True),  # lowercase: the domain normalises it before
    Column("role", String, nullable=False),
    Column("nom", Text, nullable=False),
    Column("hash_mot_de_passe", String, nullable=False),
    Column("actif", Boolean, nullable=False),
    Column("cree_le", HORODATAGE, nullable=False),
    Column("confirme_le", HORODATAGE),
    Column("confirmation", String, unique=True),  # sha256 of the confirmation link's secret, until it is followed
)

compte_comites = Table(
    "compte_comites", metadata,
    Column("compte_id", Integer, ForeignKey("comptes.id"), nullable=False),
    Column("comite", String, nullable=False),  # a code, as decisions name it: the meeting may be created later
    PrimaryKeyConstraint("compte_id", "comite"),
)

jetons_api = Table(
    "jetons_api", metadata,
    Column("id", Integer, primary_key=True),
    Column("prefixe", String, nullable=False, unique=True),
    Column("empreinte", String, nullable=False, unique=True),  # sha256 of the secret: the secret is never stored
    Column("nom", Text, nullable=False),
    Column("role", String, nullable=False),
    Column("compte_id", Integer, ForeignKey("comptes.id")),
    Column("cree_par", String, nullable=False),
    Column("cree_le", HORODATAGE, nullable=False),
    Column("revoque_le", HORODATAGE),
    Column("utilise_le", HORODATAGE),
)

sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("empreinte", String, nullable=False, unique=True),  # sha256 of the cookie's secret
    Column("compte_id", Integer, ForeignKey("comptes.id"), index=True),  # NULL: before signing in
    Column("csrf", String, nullable=False),
    Column("adresse", String),
    Column("cree_le", HORODATAGE, nullable=False),
    Column("vu_le", HORODATAGE, nullable=False),
    Column("expire_le", HORODATAGE, nullable=False, index=True),  # the purge deletes by it
)

tentatives_connexion = Table(
    "tentatives_connexion", metadata,
    Column("id", Integer, primary_key=True),
    Column("cle", String, nullable=False, index=True),  # "compte:<e-mail>" or "adresse:<network address>"
    Column("quand", HORODATAGE, nullable=False, index=True),
)

journal_audit = Table(
    "journal_audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("genre", String, nullable=False),
    Column("quand", HORODATAGE, nullable=False, index=True),
    Column("acteur", String, nullable=False),
    Column("adresse", String),
    Column("cible", String),
    Column("detail", Text, nullable=False),
)


# The holder's journey (migration 0004): drafts, uploaded pieces, messages, requests for more information.
# One row per draft the holder works on: its version number (conflicts between two tabs), the steps saved.
brouillons = Table(
    "brouillons", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("etapes", DOCUMENT_JSON, nullable=False),  # the steps saved at least once, in the form's order
    Column("derniere_etape", String),
    Column("evaluation_depot", Integer),  # number of the evaluation made at filing: the receipt's pre-diagnostic
    Column("depose_le", HORODATAGE),
    Column("modifie_le", HORODATAGE, nullable=False),
)

# The files themselves are in the database (LargeBinary, 10 MB at most each): one backup, one transaction with
# the dossier, and every server process serves them alike.
pieces = Table(
    "pieces", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("numero", Integer, nullable=False),
    Column("piece", Text, nullable=False),  # the required document it answers, or "" for another one
    Column("nom_fichier", Text, nullable=False),
    Column("type_media", String, nullable=False),  # recognised from the content, never the browser's word
    Column("taille", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("contenu", LargeBinary, nullable=False),
    Column("depose_par", String, nullable=False),
    Column("depose_le", HORODATAGE, nullable=False),
    Column("retiree_le", HORODATAGE),
    UniqueConstraint("dossier_id", "numero"),
)

messages = Table(
    "messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("numero", Integer, nullable=False),
    Column("auteur", String, nullable=False),
    Column("cote", String, nullable=False),  # porteur, instruction
    Column("texte", Text, nullable=False),
    Column("ecrit_le", HORODATAGE, nullable=False),
    UniqueConstraint("dossier_id", "numero"),
)

demandes_complements = Table(
    "demandes_complements", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("numero", Integer, nullable=False),
    Column("champs", DOCUMENT_JSON, nullable=False),
    Column("message", Text, nullable=False),
    Column("auteur", String, nullable=False),
    Column("demandee_le", HORODATAGE, nullable=False),
    Column("repondue_le", HORODATAGE),
    Column("repondue_par", String),
    Column("reponse", Text, nullable=False),
    Column("donnees_avant", DOCUMENT_JSON),  # the dossier before and after the holder's answer
    Column("donnees_apres", DOCUMENT_JSON),
    UniqueConstraint("dossier_id", "numero"),
)


# The instructors' batch work (migration 0005): jobs and their progress, shared by every server process.
# And the summary columns of the desk's list, kept in step by the dossiers' repository on every save: the
# list filters and sorts 100 000 dossiers without reading their histories.
for _colonne in (
        Column("avis_retenu", String),  # the retained avis (corrections applied); NULL before any evaluation
        Column("statuts_retenus", String),  # ";funder=status;…;" as retained, for the funders' filters
        Column("corrections_a_revoir", Integer),
        Column("nombre_evaluations", Integer),
        Column("texte_recherche", Text)):  # reference, holder, SIRET and title, lowercase and unaccented
    dossiers.append_column(_colonne)
# The default order of the list (date, then reference), migration 0007: a far page is cut in the index alone.
Index("ix_dossiers_depot_reference", dossiers.c.date_depot, dossiers.c.reference)
Index("ix_dossiers_avis_retenu", dossiers.c.avis_retenu)
Index("ix_dossiers_projet_commune_insee", dossiers.c.projet_commune_insee)
Index("ix_dossiers_corrections_a_revoir", dossiers.c.corrections_a_revoir)

travaux = Table(
    "travaux", metadata,
    Column("id", Integer, primary_key=True),
    Column("nature", String, nullable=False),  # evaluer, instruire, inscrire… (instruction.travaux.NATURES)
    Column("libelle", Text, nullable=False),
    Column("compte", String, nullable=False),  # the agent's id: who may follow it
    Column("auteur", String, nullable=False),
    Column("parametres", DOCUMENT_JSON, nullable=False),
    Column("etat", String, nullable=False),  # en_cours, termine, interrompu
    Column("total", Integer, nullable=False),
    Column("faits", Integer, nullable=False),
    Column("echecs", Integer, nullable=False),
    Column("processus", String, nullable=False),  # "host:pid" of the server process that runs it
    Column("cree_le", HORODATAGE, nullable=False, index=True),
    Column("battement", HORODATAGE, nullable=False),  # last sign of life of the running thread
    Column("fini_le", HORODATAGE),
)

travaux_elements = Table(
    "travaux_elements", metadata,
    Column("travail_id", Integer, ForeignKey("travaux.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("element", Text, nullable=False),  # a dossier's reference, a line of an imported list…
    Column("etat", String, nullable=False),  # en_attente, reussi, echoue
    Column("message", Text, nullable=False),
    Column("fini_le", HORODATAGE),
    PrimaryKeyConstraint("travail_id", "position"),
)


# The comité's budget envelopes (migration 0006).
comite_enveloppes = Table(
    "comite_enveloppes", metadata,
    Column("id", Integer, primary_key=True),
    Column("comite_id", Integer, ForeignKey("comites.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("financeur", String, nullable=False),
    Column("dispositif", Text, nullable=False),
    Column("montant", MONTANT, nullable=False),
    Column("source", Text, nullable=False),
    UniqueConstraint("comite_id", "position"),
    UniqueConstraint("comite_id", "financeur", "dispositif"),
)
