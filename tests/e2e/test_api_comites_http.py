"""Les réunions du comité et les documents par l'API, chaque route × chaque rôle : les services gèrent les
réunions, un membre du comité lit la sienne (une autre : 404), un porteur n'a pas la rubrique (403) ; l'avis et
le rapport se téléchargent en pièce jointe, dans le format demandé."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from api import demo
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.dossiers import services
from tests.e2e import banc_api
from tests.e2e.banc_api import ROLES_ET_ANONYME, dossier_neuf, entetes

SERVICES = Agent.local("préparation du test")
GERER = {"anonyme": 401, "porteur": 403, "instructeur": 200, "membre_comite": 403, "admin": 200}
LIRE = {"anonyme": 401, "porteur": 403, "instructeur": 200, "membre_comite": 200, "admin": 200}


@pytest.fixture(scope="module")
def banc(guichet_python, controles, tmp_path_factory):
    return banc_api.banc(guichet_python, controles, tmp_path_factory.mktemp("api_comites"))


@pytest.fixture(scope="module")
def api(banc):
    return banc_api.client(banc.app)


def _comite(banc, code: str, jour: date = date(2026, 3, 12)) -> str:
    """Une réunion neuve, et un dossier à l'avis rendu prêt à y être inscrit ; rend la référence du dossier."""
    uow, guichet = banc.contexte.unite_de_travail, banc.contexte.guichet
    services_comite.creer_comite(uow(), guichet.territoire, SERVICES, jour, "lys_artois", code)
    reference = f"{code}-D1"
    assert services.deposer(uow(), guichet, dossier_neuf(reference), demo.PORTEUR) == []
    services.changer_etat(uow(), reference, "en_instruction", SERVICES, "prise en charge")
    services.evaluer(uow(), guichet, reference, SERVICES)
    services.changer_etat(uow(), reference, "avis_rendu", SERVICES, "avis rendu")
    return reference


def _lu(banc, code: str):
    return services_comite.consulter_comite(banc.contexte.unite_de_travail(), code, SERVICES)


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_lister_et_lire_les_reunions_selon_le_role(banc, api, role):
    liste = api.get("/api/v1/comites", headers=entetes(banc, role))
    assert liste.status_code == LIRE[role]
    lue = api.get(f"/api/v1/comites/{demo.COMITE}", headers=entetes(banc, role))
    assert lue.status_code == LIRE[role]
    if LIRE[role] == 200:
        assert demo.COMITE in [c["code"] for c in liste.json()["comites"]]
        corps = lue.json()
        assert corps["ordre_du_jour"] == _lu(banc, demo.COMITE).ordre_du_jour
        assert corps["controles"] and all(m["structure"] for m in corps["membres"])


def test_un_membre_du_comite_ne_voit_pas_une_autre_reunion(banc, api):
    _comite(banc, "autre-reunion")
    membre = entetes(banc, "membre_comite")
    assert api.get("/api/v1/comites/autre-reunion", headers=membre).status_code == 404
    assert "autre-reunion" not in [c["code"] for c in api.get("/api/v1/comites", headers=membre).json()["comites"]]
    assert api.get("/api/v1/comites/autre-reunion/rapport.csv", headers=membre).status_code == 404
    assert api.get("/api/v1/comites/autre-reunion", headers=entetes(banc, "instructeur")).status_code == 200


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_creer_une_reunion_selon_le_role(banc, api, role):
    code = f"creee-{role}"
    reponse = api.post("/api/v1/comites", json={"date": "2026-04-02", "code": code}, headers=entetes(banc, role))
    attendu = 201 if GERER[role] == 200 else GERER[role]
    assert reponse.status_code == attendu, reponse.text
    if attendu == 201:
        assert reponse.headers["location"] == f"/api/v1/comites/{code}"
        assert [m["structure"] for m in reponse.json()["membres"]] == [m.structure for m in _lu(banc, code).membres]


@pytest.mark.parametrize("corps, champ", [({"date": "2031-01-01"}, "date"), ({"date": 20260402}, "date"),
                                          ({"date": "2026-04-02", "contrat": "inconnu"}, "contrat"),
                                          ({"date": "2026-04-02", "code": "a b"}, "code"),
                                          ({"date": "2026-04-02", "membres": [{"structure": ""}]},
                                           "membres.0.structure")])
def test_une_reunion_invalide_repond_422_en_nommant_le_champ(banc, api, corps, champ):
    reponse = api.post("/api/v1/comites", json=corps, headers=entetes(banc, "instructeur"))
    assert reponse.status_code == 422, reponse.text
    assert [e["champ"] for e in reponse.json()["erreurs"]] == [champ]


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_inscrire_evaluer_noter_la_presence_retirer_selon_le_role(banc, api, role):
    code = f"gestion-{role}"
    reference = _comite(banc, code)
    h, attendu = entetes(banc, role), GERER[role]
    if role == "membre_comite":
        attendu = 404  # not a member of this meeting: it does not exist for them
    assert api.post(f"/api/v1/comites/{code}/inscriptions", json={"references": [reference]},
                    headers=h).status_code == attendu
    assert (_lu(banc, code).ordre_du_jour == [reference]) is (attendu == 200)
    if attendu != 200:
        services_comite.inscrire(banc.contexte.unite_de_travail(), code, [reference], SERVICES)
    evaluee = api.post(f"/api/v1/comites/{code}/evaluation", headers=h)
    assert evaluee.status_code == attendu
    assert (_lu(banc, code).evalue_le is not None) is (attendu == 200)
    presence = api.put(f"/api/v1/comites/{code}/presences", headers=h, json={"presences": [
        {"structure": "Conseil Régional", "representant": "Claire Martin", "present": True},
        {"structure": "Expert invité", "representant": "Léa Roux", "present": False}]})
    assert presence.status_code == attendu
    if attendu == 200:
        membres = {m["structure"]: m for m in presence.json()["membres"]}
        assert membres["Conseil Régional"]["present"] is True and membres["Expert invité"]["present"] is False
    retrait = api.post(f"/api/v1/comites/{code}/retraits", headers=h, json={"reference": reference, "motif": "report"})
    assert retrait.status_code == attendu
    assert (services.consulter(banc.contexte.unite_de_travail(), reference, SERVICES).etat == "avis_rendu") is (
        attendu == 200)


def test_inscrire_un_dossier_qui_n_a_pas_son_avis_repond_409_et_rien_n_est_inscrit(banc, api):
    reference = _comite(banc, "refus-inscription")
    brut = f"{reference}-brut"
    assert services.deposer(banc.contexte.unite_de_travail(), banc.contexte.guichet, dossier_neuf(brut),
                            demo.PORTEUR) == []
    reponse = api.post("/api/v1/comites/refus-inscription/inscriptions", json={"references": [reference, brut]},
                       headers=entetes(banc, "instructeur"))
    assert reponse.status_code == 409
    assert reponse.json()["erreurs"][0]["etats_permis"] == ["en_instruction", "classe_sans_suite"]
    assert _lu(banc, "refus-inscription").ordre_du_jour == []


DECIDER = {"anonyme": 401, "porteur": 403, "instructeur": 200, "membre_comite": 403, "admin": 200}


@pytest.mark.parametrize("role, reference", list(zip(ROLES_ET_ANONYME, demo.ORDRE_DU_JOUR[1:])))
def test_enregistrer_une_decision_selon_le_role(banc, api, role, reference):
    reponse = api.post(f"/api/v1/comites/{demo.COMITE}/decisions", headers=entetes(banc, role), json={
        "reference": reference, "decisions": {"region_hdf": "favorable"}, "motif": "plan d'actions"})
    assert reponse.status_code == DECIDER[role], reponse.text
    dossier = services.consulter(banc.contexte.unite_de_travail(), reference, SERVICES)
    assert (dossier.etat == "decide") is (DECIDER[role] == 200)
    if DECIDER[role] == 200:
        assert reponse.json()["decisions"][-1]["decision"] == "favorable"
        redite = api.post(f"/api/v1/comites/{demo.COMITE}/decisions", headers=entetes(banc, role), json={
            "reference": reference, "decisions": {"region_hdf": "defavorable"}, "motif": "autre avis"})
        assert redite.status_code == 409  # final for its meeting


def test_une_decision_invalide_repond_422(banc, api):
    reponse = api.post(f"/api/v1/comites/{demo.COMITE}/decisions", headers=entetes(banc, "instructeur"), json={
        "reference": "LA-2025-011", "decisions": {"region_hdf": "peut-etre"}, "motif": "x"})
    assert reponse.status_code == 422 and reponse.json()["erreurs"][0]["champ"] == "decisions.region_hdf"


AVIS = {"anonyme": 401, "porteur": 200, "instructeur": 200, "membre_comite": 404, "admin": 200}


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_telecharger_l_avis_selon_le_role(banc, api, role):
    reponse = api.get("/api/v1/dossiers/LA-2025-003/avis.html", headers=entetes(banc, role))
    assert reponse.status_code == AVIS[role]
    if AVIS[role] == 200:
        assert reponse.headers["content-disposition"] == 'attachment; filename="avis-LA-2025-003.html"'
        assert reponse.headers["content-type"].startswith("text/html") and "LA-2025-003" in reponse.text


def test_l_avis_en_pdf_est_un_pdf_du_dossier(banc, api):
    reponse = api.get("/api/v1/dossiers/LA-2025-003/avis.pdf", headers=entetes(banc, "porteur"))
    assert reponse.status_code == 200 and reponse.headers["content-type"] == "application/pdf"
    assert reponse.headers["content-disposition"] == 'attachment; filename="avis-LA-2025-003.pdf"'
    texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(reponse.content)).pages)
    assert "LA-2025-003" in texte


def test_l_avis_d_un_dossier_jamais_evalue_repond_409(banc, api):
    reference = "SANS-EVALUATION-1"
    assert services.deposer(banc.contexte.unite_de_travail(), banc.contexte.guichet, dossier_neuf(reference),
                            demo.PORTEUR) == []
    reponse = api.get(f"/api/v1/dossiers/{reference}/avis.pdf", headers=entetes(banc, "porteur"))
    assert reponse.status_code == 409 and "évaluez d'abord" in reponse.json()["erreurs"][0]["message"]


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_telecharger_le_rapport_selon_le_role(banc, api, role):
    reponse = api.get(f"/api/v1/comites/{demo.COMITE}/rapport.csv", headers=entetes(banc, role))
    assert reponse.status_code == LIRE[role]
    if LIRE[role] == 200:
        assert reponse.headers["content-disposition"] == f'attachment; filename="rapport-{demo.COMITE}.csv"'
        lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
        references = [ligne[1] for ligne in lignes[1:]]
        assert references == _lu(banc, demo.COMITE).ordre_du_jour


def test_le_rapport_en_xlsx_et_en_pdf(banc, api):
    h = entetes(banc, "membre_comite")
    xlsx = api.get(f"/api/v1/comites/{demo.COMITE}/rapport.xlsx", headers=h)
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames
    pdf = api.get(f"/api/v1/comites/{demo.COMITE}/rapport.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert demo.ORDRE_DU_JOUR[0] in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
