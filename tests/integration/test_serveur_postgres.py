"""Le serveur PostgreSQL jetable des tests d'intégration : il démarre, sert, isole et s'arrête."""
import socket

import pytest
from sqlalchemy import create_engine, text

from tests.integration import serveur_postgres
from tests.integration.serveur_postgres import (
    ErreurServeurPostgres,
    ServeurPostgres,
    trouver_binaires,
    url_postgres_externe,
)

pytestmark = pytest.mark.skipif(trouver_binaires() is None, reason="PostgreSQL n'est pas installé")


@pytest.fixture(scope="module")
def serveur():
    with ServeurPostgres() as serveur:
        yield serveur


def _valeur(url: str, requete: str):
    moteur = create_engine(url)
    try:
        with moteur.connect() as connexion:
            return connexion.execute(text(requete)).scalar_one()
    finally:
        moteur.dispose()


def test_le_serveur_demarre_et_sqlalchemy_y_lit_postgresql_15(serveur):
    assert serveur.url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert _valeur(serveur.url, "select version()").startswith("PostgreSQL 15")
    assert _valeur(serveur.url, "select current_database()") == "guichet"
    assert _valeur(serveur.url, "show fsync") == "off"
    assert int(_valeur(serveur.url, "show max_connections")) >= 50


def test_le_serveur_accepte_deux_connexions_a_la_fois(serveur):
    moteur = create_engine(serveur.url)
    try:
        with moteur.connect() as premiere, moteur.connect() as seconde:
            pids = {c.execute(text("select pg_backend_pid()")).scalar_one() for c in (premiere, seconde)}
            actives = premiere.execute(text(
                "select count(*) from pg_stat_activity where datname = 'guichet' and backend_type = 'client backend'"
            )).scalar_one()
        assert len(pids) == 2
        assert actives >= 2
    finally:
        moteur.dispose()


def test_nouvelle_base_donne_une_base_isolee(serveur):
    url = serveur.nouvelle_base("guichet_isole")
    assert url.endswith("/guichet_isole")
    moteur = create_engine(url)
    try:
        with moteur.begin() as connexion:
            connexion.execute(text("create table dossier (reference text primary key)"))
            connexion.execute(text("insert into dossier values ('D-1')"))
    finally:
        moteur.dispose()
    assert _valeur(url, "select count(*) from dossier") == 1
    assert _valeur(serveur.url, "select to_regclass('dossier') is null") is True


def test_nouvelle_base_refuse_un_nom_qui_n_est_pas_un_identifiant_simple(serveur):
    with pytest.raises(ValueError):
        serveur.nouvelle_base('x"; drop database guichet; --')


def test_apres_l_arret_le_port_n_accepte_plus_de_connexions_et_le_dossier_disparait():
    serveur = ServeurPostgres()
    url = serveur.demarrer()
    port, dossier = serveur.port, serveur.dossier
    assert _valeur(url, "select 1") == 1
    serveur.arreter()
    assert not dossier.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    serveur.arreter()  # idempotent: the atexit hook may call it again


def test_un_demarrage_rate_leve_une_erreur_qui_cite_la_fin_du_journal(monkeypatch):
    monkeypatch.setitem(serveur_postgres.REGLAGES, "max_connections", "-5")
    serveur = ServeurPostgres()
    with pytest.raises(ErreurServeurPostgres, match="max_connections"):
        serveur.demarrer()
    assert serveur.dossier is None


def test_nouvelle_base_avant_le_demarrage_est_une_erreur_claire():
    with pytest.raises(ErreurServeurPostgres):
        ServeurPostgres().nouvelle_base("guichet_trop_tot")


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (None, None),
        ("sqlite:///guichet.db", None),
        ("postgresql://u:p@hote:5432/b", "postgresql+psycopg://u:p@hote:5432/b"),
        ("postgres://u@hote/b", "postgresql+psycopg://u@hote/b"),
        ("postgresql+psycopg://u@hote/b", "postgresql+psycopg://u@hote/b"),
    ],
)
def test_une_database_url_postgresql_designe_un_serveur_externe(monkeypatch, valeur, attendu):
    if valeur is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", valeur)
    assert url_postgres_externe() == attendu
