"""L'API sans authentification, par HTTP en processus : `POST /api/v1/evaluations` (le JSON de `guichet evaluate`),
`GET /api/v1/regles` (celui de `guichet rules export`), `GET /api/v1/communes?q=` ; et les erreurs au format du
contrat : JSON illisible 400, types stricts 422 nommant le champ, adresse inconnue 404, aucun cookie posé."""
import json
import subprocess
import unicodedata

import pytest

from tests.e2e import banc_api
from tests.e2e.serveur import GUICHET, RACINE

DOSSIER = "LA-2025-003"


@pytest.fixture(scope="module")
def banc(guichet_python, controles, tmp_path_factory):
    return banc_api.banc(guichet_python, controles, tmp_path_factory.mktemp("api_publique"))


@pytest.fixture(scope="module")
def api(banc):
    return banc_api.client(banc.app)


def _dossier() -> dict:
    return banc_api.exemples()[DOSSIER]


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c)).casefold()


def test_l_evaluation_de_l_api_est_celle_de_la_ligne_de_commande(api, tmp_path):
    fichier = tmp_path / "dossier.json"
    fichier.write_text(json.dumps(_dossier(), ensure_ascii=False), encoding="utf-8")
    sortie = subprocess.run([str(GUICHET), "evaluate", str(fichier), "--format", "json", "--engine", "python"],
                            cwd=RACINE, capture_output=True, text=True)
    assert sortie.returncode == 0, sortie.stderr
    reponse = api.post("/api/v1/evaluations", json=_dossier())
    assert reponse.status_code == 200 and reponse.headers["content-type"] == "application/json"
    assert reponse.json() == json.loads(sortie.stdout)[0]


def test_une_date_imposee_juge_selon_les_regles_de_cette_date(api):
    apres = api.post("/api/v1/evaluations?date=2028-06-01", json=_dossier()).json()
    pendant = api.post("/api/v1/evaluations", json=_dossier()).json()
    assert apres["version_regles"].endswith("@2028-06-01")
    assert apres["version_regles"] != pendant["version_regles"]


@pytest.mark.parametrize("date", ["2025-13-01", "10/03/2025", "20250310", "1741564800", ""])
def test_une_date_mal_ecrite_est_refusee_en_nommant_le_parametre(api, date):
    reponse = api.post(f"/api/v1/evaluations?date={date}", json=_dossier())
    assert reponse.status_code == 422
    assert reponse.json() == {"erreurs": [{"champ": "date", "message": "doit être une date au format AAAA-MM-JJ"}]}


@pytest.mark.parametrize("corps", [b'{"reference": "LA-2025-003",', b"{'reference': 'x'}", b'{"a": NaN}',
                                   b'{"a": Infinity}', b"\xff\xfe{}", b"[" * 5000 + b"]" * 5000, b"   "])
def test_un_json_illisible_repond_400_dans_la_forme_du_contrat(api, corps):
    reponse = api.post("/api/v1/evaluations", content=corps, headers={"Content-Type": "application/json"})
    assert reponse.status_code == 400
    erreurs = reponse.json()["erreurs"]
    assert len(erreurs) == 1 and erreurs[0]["champ"] is None
    assert erreurs[0]["message"].startswith(("JSON illisible", "corps de la demande vide"))


def test_un_corps_trop_gros_repond_413(api):
    corps = json.dumps({**_dossier(), "projet": {"description": "x" * 1_100_000}})
    reponse = api.post("/api/v1/evaluations", content=corps, headers={"Content-Type": "application/json"})
    assert reponse.status_code == 413 and reponse.json()["erreurs"][0]["champ"] is None


@pytest.mark.parametrize("chemin, valeur, champ", [
    (("budget", "cout_total_ht"), True, "budget.cout_total_ht"),  # true is not an amount
    (("budget", "montant_sollicite"), "12", "budget.montant_sollicite"),  # "12" is not a number
    (("porteur", "activite_economique"), "oui", "porteur.activite_economique"),
    (("projet", "nature"), "travaux", "projet.nature"),
    (("projet", "commune_insee"), "99999", "projet.commune_insee"),
    (("porteur", "siret"), "21620910600015", "porteur.siret"),
    (("projet", "inconnu"), 1, "projet.inconnu"),
])
def test_une_saisie_invalide_repond_422_en_nommant_le_champ_comme_la_ligne_de_commande(api, chemin, valeur, champ):
    dossier = _dossier()
    dossier[chemin[0]][chemin[1]] = valeur
    reponse = api.post("/api/v1/evaluations", json=dossier)
    assert reponse.status_code == 422
    corps = reponse.json()
    assert corps["reference"] == DOSSIER
    assert [e["champ"] for e in corps["erreurs"]] == [champ]
    assert corps["erreurs"][0]["message"] and "Input should" not in corps["erreurs"][0]["message"]


@pytest.mark.parametrize("corps", [b"[]", b'"LA-2025-003"', b"12", b"null", b"true"])
def test_un_corps_qui_n_est_pas_un_objet_repond_422(api, corps):
    reponse = api.post("/api/v1/evaluations", content=corps, headers={"Content-Type": "application/json"})
    assert reponse.status_code == 422
    assert reponse.json()["erreurs"] == [{"champ": "dossier", "message": "un dossier est un objet JSON ({...})"}]


def test_les_regles_sont_celles_de_guichet_rules_export(api):
    sortie = subprocess.run([str(GUICHET), "rules", "export", "--format", "json", "--date", "2026-01-15"],
                            cwd=RACINE, capture_output=True, text=True)
    assert sortie.returncode == 0, sortie.stderr
    reponse = api.get("/api/v1/regles?date=2026-01-15")
    assert reponse.status_code == 200
    assert reponse.json() == json.loads(sortie.stdout)


def test_toutes_les_regles_comptent_celles_hors_de_leur_periode(api):
    en_vigueur = api.get("/api/v1/regles?date=2026-01-15").json()
    toutes = api.get("/api/v1/regles?toutes=true").json()
    assert {r["id"] for r in en_vigueur} < {r["id"] for r in toutes}


@pytest.mark.parametrize("q, attendue", [("bethune", "Béthune"), ("BÉTHUNE", "Béthune"), ("saint omer", "Saint-Omer"),
                                         ("saint-omer", "Saint-Omer"), ("Isbergues", "Isbergues")])
def test_une_commune_se_trouve_par_le_debut_de_son_nom_sans_accents_ni_casse(api, q, attendue):
    communes = api.get("/api/v1/communes", params={"q": q}).json()
    assert attendue in [c["nom"] for c in communes]
    assert all(set(c) >= {"insee", "nom", "departement", "epci"} for c in communes)


@pytest.mark.parametrize("q", ["sa", "b", "la", "e"])
def test_au_plus_20_communes_qui_commencent_toutes_par_le_texte(api, q):
    communes = api.get("/api/v1/communes", params={"q": q}).json()
    assert len(communes) == 20
    noms = [_sans_accents(c["nom"]).replace("-", " ").replace("'", " ") for c in communes]
    assert all(n.startswith(q) for n in noms), noms
    assert noms == sorted(noms)


def test_la_limite_se_choisit_entre_1_et_50(api):
    assert len(api.get("/api/v1/communes?q=sa&limite=5").json()) == 5
    assert len(api.get("/api/v1/communes?q=sa&limite=50").json()) == 50
    for limite, message in (("0", "doit valoir au moins 1"), ("51", "doit valoir au plus 50"),
                            ("dix", "doit être un nombre entier")):
        reponse = api.get(f"/api/v1/communes?q=sa&limite={limite}")
        assert reponse.status_code == 422
        assert reponse.json() == {"erreurs": [{"champ": "limite", "message": message}]}


def test_une_commune_de_l_annuaire_a_son_departement_et_son_epci(api):
    [bethune] = api.get("/api/v1/communes?q=bethune").json()
    assert bethune == {"insee": "62119", "nom": "Béthune", "departement": "62", "epci": "200072460",
                       "departement_nom": "Pas-de-Calais", "epci_nom": "CA de Béthune-Bruay, Artois-Lys Romane"}


@pytest.mark.parametrize("q", ["", "   ", "zzzz", "-'"])
def test_un_texte_vide_ou_sans_commune_rend_une_liste_vide(api, q):
    reponse = api.get("/api/v1/communes", params={"q": q})
    assert reponse.status_code == 200 and reponse.json() == []


@pytest.mark.parametrize("methode, chemin, code", [("GET", "/api/v1/inconnue", 404), ("GET", "/api/v1", 404),
                                                    ("DELETE", "/api/v1/evaluations", 405),
                                                    ("GET", "/api/v1/evaluations", 405),
                                                    ("POST", "/api/v1/regles", 405)])
def test_une_adresse_ou_une_methode_inconnue_repond_dans_la_forme_du_contrat(api, methode, chemin, code):
    reponse = api.request(methode, chemin)
    assert reponse.status_code == code
    [erreur] = reponse.json()["erreurs"]
    assert erreur["champ"] is None and "l’API" in erreur["message"]


def test_l_api_ne_pose_jamais_de_cookie_meme_a_un_client_qui_a_une_session(banc, api):
    from tests.e2e.banc_comptes import connecter
    navigateur = banc_api.client(banc.app)
    assert connecter(navigateur, "admin@demo.guichet.fr", "demo-guichet-2025").status_code == 303
    assert "guichet_session" in navigateur.cookies
    for reponse in (navigateur.post("/api/v1/evaluations", json=_dossier()), navigateur.get("/api/v1/regles"),
                    navigateur.get("/api/v1/communes?q=a"), navigateur.get("/api/v1/dossiers"),
                    navigateur.get("/api/v1/inconnue"), api.post("/api/v1/evaluations", content=b"{")):
        assert "set-cookie" not in reponse.headers, reponse.request.url


def test_les_reponses_de_l_api_portent_les_en_tetes_de_securite(api):
    reponse = api.post("/api/v1/evaluations", json=_dossier())
    assert reponse.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in reponse.headers["content-security-policy"]
