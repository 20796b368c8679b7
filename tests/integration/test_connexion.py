"""Où vont les données par défaut, et ce que voit l'utilisateur quand la base est hors d'atteinte."""
import socket
from pathlib import Path

import pytest

from instruction.acces import Agent
from instruction.dossiers import services
from instruction.storage import ErreurStockage, UniteDeTravailSql, creer_moteur, mettre_a_jour, url_par_defaut
from instruction.storage.connexion import masquer

PAR_AGENT = Agent.local("agent")


def _port_ferme() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("valeur", "attendue"), [
    ("postgresql://u:p@hote:5432/b", "postgresql+psycopg://u:p@hote:5432/b"),
    ("postgres://u@hote/b", "postgresql+psycopg://u@hote/b"),
    ("postgresql+psycopg://u@hote/b", "postgresql+psycopg://u@hote/b"),
    ("sqlite:////srv/guichet.sqlite", "sqlite:////srv/guichet.sqlite"),
])
def test_database_url_est_prise_telle_quelle_avec_le_pilote_psycopg(monkeypatch, valeur, attendue):
    monkeypatch.setenv("DATABASE_URL", valeur)
    assert url_par_defaut() == attendue


def test_sans_database_url_les_donnees_vont_dans_le_dossier_donnees_du_repertoire_courant(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("GUICHET_DONNEES", raising=False)
    monkeypatch.chdir(tmp_path)
    url = url_par_defaut()
    assert url == f"sqlite+pysqlite:///{tmp_path.resolve() / 'donnees' / 'guichet.sqlite'}"
    assert not (tmp_path / "donnees").exists()  # only the schema upgrade creates it
    mettre_a_jour()
    assert (tmp_path / "donnees" / "guichet.sqlite").is_file()


def test_guichet_donnees_choisit_le_dossier_et_la_base_y_est_creee(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GUICHET_DONNEES", str(tmp_path / "ailleurs"))
    from instruction.storage.migration import version_de_tete
    assert mettre_a_jour() == version_de_tete()
    assert (tmp_path / "ailleurs" / "guichet.sqlite").is_file()


def test_un_dossier_de_donnees_impossible_a_creer_donne_une_erreur_de_stockage(monkeypatch, tmp_path):
    fichier = tmp_path / "un_fichier"
    fichier.write_text("pas un dossier")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GUICHET_DONNEES", str(fichier / "donnees"))
    with pytest.raises(ErreurStockage, match="impossible de créer le dossier de données"):
        mettre_a_jour()
    with pytest.raises(ErreurStockage, match="impossible de créer le dossier de données"):
        creer_moteur(f"sqlite:///{fichier}/donnees/guichet.sqlite")


def test_un_fichier_sqlite_illisible_donne_une_erreur_de_stockage(tmp_path):
    with pytest.raises(ErreurStockage, match="injoignable ou inutilisable"):
        mettre_a_jour(f"sqlite:///{tmp_path}")  # a directory, not a database file


@pytest.mark.parametrize("url, debut", [
    ("pas une url", "URL de base de données invalide : « pas une url »"),
    ("mysql://u:secret@hote/b", "base de données non prise en charge : « mysql://u:***@hote/b »"),
    ("postgresql+pilote_inconnu://h/b", "URL de base de données refusée : « postgresql+pilote_inconnu://h/b »"),
    ("postgresql://u:secret@hote:port/b", "URL de base de données invalide : « postgresql"),
])
def test_une_url_invalide_donne_une_erreur_de_stockage_sans_mot_de_passe(url, debut):
    with pytest.raises(ErreurStockage) as erreur:
        creer_moteur(url)
    assert "secret" not in erreur.value.message
    assert erreur.value.message.startswith(debut)  # each fault named as what it is, not just « an URL problem »


@pytest.mark.parametrize("url", ["postgresql+asyncpg://guichet:secret@hote/guichet",
                                 "postgresql+psycopg2://guichet:secret@hote/guichet",
                                 "sqlite+pysqlcipher://:secret@/guichet.sqlite"])
def test_un_pilote_non_installe_donne_une_erreur_qui_dit_les_pilotes_pris_en_charge(url):
    with pytest.raises(ErreurStockage) as erreur:
        creer_moteur(url)
    message = erreur.value.message
    assert "pilote de base de données absent" in message and masquer(url) in message
    assert "secret" not in message and "***" in message
    assert "psycopg 3 pour PostgreSQL" in message and "intégré à Python pour SQLite" in message


def test_un_serveur_injoignable_donne_une_erreur_qui_nomme_l_url_sans_le_mot_de_passe(guichet_python):
    url = f"postgresql://guichet:secret@127.0.0.1:{_port_ferme()}/guichet"
    moteur = creer_moteur(url)
    with pytest.raises(ErreurStockage) as erreur:
        services.evaluer(UniteDeTravailSql(moteur), guichet_python, "D-1", PAR_AGENT)
    message = erreur.value.message
    assert f"postgresql+psycopg://guichet:***@127.0.0.1:{moteur.url.port}/guichet" in message
    assert "secret" not in message and "injoignable" in message
    with pytest.raises(ErreurStockage, match="injoignable"):
        mettre_a_jour(url)


def test_masquer_cache_le_mot_de_passe_meme_d_une_url_illisible():
    assert masquer("postgresql://u:s3cret@h/b") == "postgresql://u:***@h/b"
    assert "s3cret" not in masquer("postgresql://u:s3cret@h:port_invalide/b")
    assert Path(masquer("sqlite:////tmp/g.sqlite")).name == "g.sqlite"
