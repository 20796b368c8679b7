"""L'application web par HTTP, sans navigateur ni serveur : en-têtes de sécurité, erreurs en français, cache,
`/sante`. L'application est construite par `creer_app` sur un contexte de test (base SQLite jetable)."""
import re
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from api.web.app import creer_app
from api.web.gabarits import statique
from instruction.storage.connexion import creer_moteur
from instruction.storage.migration import mettre_a_jour
from instruction.storage.unite import UniteDeTravailSql


def _contexte(guichet, url: str) -> SimpleNamespace:
    # A new engine per unit of work: no pooled connection outlives the file, so /sante sees what is on disk now.
    return SimpleNamespace(guichet=guichet, territoire=guichet.territoire,
                           unite_de_travail=lambda: UniteDeTravailSql(creer_moteur(url)))


@pytest.fixture
def base_migree(tmp_path):
    fichier = tmp_path / "guichet.sqlite"
    mettre_a_jour(f"sqlite:///{fichier}")
    return fichier


@pytest.fixture
def app(guichet_python, base_migree):
    return creer_app(_contexte(guichet_python, f"sqlite:///{base_migree}"))


@pytest.fixture
def client(app):
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("chemin", ["/", "/sante", "/static/css/guichet.css", "/page-inconnue",
                                    "/api/v1/inconnue", "/api/v1/openapi.json"])
def test_chaque_reponse_porte_les_en_tetes_de_securite(client, chemin):
    entetes = client.get(chemin).headers
    csp = entetes["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert entetes["x-content-type-options"] == "nosniff"
    assert entetes["referrer-policy"] == "same-origin"


def test_la_page_d_accueil_n_a_ni_script_ni_style_en_ligne(client):
    html = client.get("/").text
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert "<style" not in html and " style=" not in html
    assert '<html lang="fr"' in html and "<title>Accueil — Guichet</title>" in html
    assert "Aller au contenu principal" in html and "Skip to main content" not in html
    assert "Crown copyright" not in html and "govuk-logo" not in html  # no crown, neither header nor footer


def test_une_page_inconnue_est_une_page_404_en_francais(client):
    reponse = client.get("/page-inconnue")
    assert reponse.status_code == 404 and reponse.headers["content-type"].startswith("text/html")
    assert "<title>Page introuvable — Guichet</title>" in reponse.text
    assert "Retour à l’accueil du guichet" in reponse.text


def test_une_erreur_sous_l_api_a_la_forme_du_contrat(client):
    reponse = client.get("/api/v1/inconnue")
    assert reponse.status_code == 404
    assert reponse.json() == {"erreurs": [{"champ": None, "message": "adresse inconnue de l’API"}]}


def test_une_valeur_invalide_sous_l_api_nomme_son_champ(app, client):
    @app.get("/api/v1/essai-validation")
    def essai(nombre: int):
        return {"nombre": nombre}

    reponse = client.get("/api/v1/essai-validation", params={"nombre": "douze"})
    assert reponse.status_code == 422
    assert reponse.json() == {"erreurs": [{"champ": "nombre", "message": "doit être un nombre entier"}]}


def test_un_acces_refuse_est_une_page_403_en_francais(app, client):
    from fastapi import HTTPException

    @app.get("/essai-interdit")
    def interdit():
        raise HTTPException(403)

    reponse = client.get("/essai-interdit")
    assert reponse.status_code == 403 and "Accès refusé" in reponse.text


def test_une_erreur_interne_est_une_page_500_en_francais_qui_garde_les_en_tetes(app, client):
    @app.get("/essai-panne")
    def panne():
        raise RuntimeError("panne simulée")

    @app.get("/api/v1/essai-panne")
    def panne_api():
        raise RuntimeError("panne simulée")

    reponse = client.get("/essai-panne")
    assert reponse.status_code == 500 and "Une erreur est survenue" in reponse.text
    assert "panne simulée" not in reponse.text  # nothing of the internals reaches the user
    assert "frame-ancestors 'none'" in reponse.headers["content-security-policy"]
    api = client.get("/api/v1/essai-panne")
    assert api.status_code == 500
    assert api.json() == {"erreurs": [{"champ": None, "message": "Une erreur est survenue"}]}


def test_les_fichiers_versionnes_sont_gardes_en_cache_un_an(client):
    versionne = client.get(statique("vendor/govuk-frontend/govuk-frontend.min.css"))
    assert versionne.status_code == 200
    assert versionne.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/css/guichet.css").headers["cache-control"] == "no-cache"


def test_l_openapi_ne_decrit_que_l_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert all(chemin.startswith("/api/v1/") for chemin in document["paths"])
    assert client.get("/docs").status_code == 404


def test_sante_repond_200_puis_503_quand_la_base_disparait(client, base_migree):
    reponse = client.get("/sante")
    assert (reponse.status_code, reponse.json()) == (200, {"statut": "ok"})
    base_migree.unlink()
    assert client.get("/sante").status_code == 503


def test_sante_repond_503_sur_une_url_de_base_injoignable(guichet_python):
    # Port 1 of the loopback: refused at once, no waiting for a timeout.
    client = TestClient(creer_app(_contexte(guichet_python, "postgresql://guichet@127.0.0.1:1/guichet")))
    reponse = client.get("/sante")
    assert reponse.status_code == 503 and reponse.json()["statut"] == "indisponible"


def test_sante_repond_503_sur_un_fichier_qui_n_est_pas_une_base(guichet_python, tmp_path):
    faux = tmp_path / "guichet.sqlite"
    faux.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    client = TestClient(creer_app(_contexte(guichet_python, f"sqlite:///{faux}")))
    assert client.get("/sante").status_code == 503
