"""Chaque test de stockage tourne deux fois : sur un fichier SQLite et sur une base PostgreSQL neuve.

Le serveur PostgreSQL est celui de `DATABASE_URL` s'il y en a un, sinon un serveur jetable
lancé une fois pour la session. S'il ne démarre pas, les tests PostgreSQL échouent en disant
pourquoi : l'étage PostgreSQL de l'intégration continue doit vraiment tourner.
"""
import uuid
from datetime import date, datetime, timedelta, timezone

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import func, make_url, select

from forms.dossier import Budget, Dossier, Financement, Porteur, Projet
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.storage import UniteDeTravailSql, creer_moteur, mettre_a_jour
from tests.integration.serveur_postgres import ErreurServeurPostgres, ServeurPostgres, creer_base, url_postgres_externe

BASES = ("sqlite", "postgresql")
SIRET_VALIDE = "21620014700017"
DEBUT = datetime(2025, 3, 10, 9, 30, 15, 123456, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def serveur_postgresql():
    """L'URL d'un serveur PostgreSQL pour toute la session."""
    if externe := url_postgres_externe():
        yield externe
        return
    try:
        serveur = ServeurPostgres()
        url = serveur.demarrer()
    except ErreurServeurPostgres as erreur:
        pytest.fail(f"le serveur PostgreSQL des tests n'a pas pu démarrer : {erreur}", pytrace=False)
    yield url
    serveur.arreter()


def _supprimer_base(url_serveur: str, nom: str) -> None:
    admin = make_url(url_serveur).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connexion:
        connexion.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nom)))


@pytest.fixture(params=BASES)
def url_vierge(request, tmp_path):
    """L'URL d'une base vide, propre à ce test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'guichet.sqlite'}"
        return
    url_serveur = request.getfixturevalue("serveur_postgresql")
    nom = f"essai_{uuid.uuid4().hex[:16]}"
    url = creer_base(url_serveur, nom)
    yield url
    _supprimer_base(url_serveur, nom)


@pytest.fixture
def url_base(url_vierge):
    """L'URL d'une base propre à ce test, au schéma à jour."""
    mettre_a_jour(url_vierge)
    return url_vierge


@pytest.fixture
def moteur(url_base):
    moteur = creer_moteur(url_base)
    yield moteur
    moteur.dispose()


@pytest.fixture
def uow(moteur):
    return UniteDeTravailSql(moteur)


def donnees_completes(reference: str) -> Dossier:
    """Une demande où tout est renseigné, avec des montants qui piègent les flottants."""
    return Dossier(
        reference=reference, date_depot=date(2025, 3, 10),
        porteur=Porteur(nom="Commune d'Aire-sur-la-Lys", type="commune", siret=SIRET_VALIDE, taille="petite",
                        rayonnement="intercommunal", aides_minimis_3_ans=0.07),
        projet=Projet(titre="Aire de camping-cars du canal", description="Vingt emplacements au bord de la Lys.",
                      commune_insee="62014", nature="investissement", secteur="hebergement",
                      hebergement_type="aire_camping_cars",
                      clienteles=["happy_family", "grands_parents_petits_enfants"],
                      thematiques=["velo", "fluvial_nautique", "nature"], transition_ecologique=True,
                      diagnostic_environnemental=False, accessibilite=True, labels=["accueil_velo"],
                      date_debut_travaux=date(2025, 9, 1)),
        budget=Budget(cout_total_ht=1234567.89, depenses_investissement=999999.99, montant_sollicite=0.1,
                      financements=[Financement(financeur="region_hdf", montant=250000.55, statut="sollicite"),
                                    Financement(financeur="leader", montant=0.07, statut="acquis"),
                                    Financement(financeur="epci", montant=0, statut="acquis")]))


def dossier_depose(reference: str, quand: datetime = DEBUT) -> DossierInstruit:
    return DossierInstruit.creer(donnees_completes(reference), "agent.depot", quand)


def instants(debut: datetime = DEBUT):
    """Des instants successifs, une minute d'écart."""
    n = 0
    while True:
        n += 1
        yield debut + timedelta(minutes=n)


def ajouter(uow, *dossiers_instruits) -> None:
    with uow:
        for dossier in dossiers_instruits:
            uow.dossiers.ajouter(dossier)
        uow.valider()


def relire(uow, reference: str):
    with uow:
        return uow.dossiers.obtenir(reference)


def compter(moteur, table) -> int:
    with moteur.connect() as connexion:
        return connexion.execute(select(func.count()).select_from(table)).scalar_one()
