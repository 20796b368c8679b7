"""Les dossiers par l'API, chaque route × chaque rôle (et l'anonyme) : ce que la politique d'accès permet répond,
le reste 401 (sans jeton), 403 (le rôle n'a pas l'action) ou 404 (le dossier d'un autre porteur, ou hors des
réunions d'un membre du comité) ; et ce que chaque route fait vraiment, relu par le cas d'usage."""
import itertools

import pytest

from api import demo
from instruction.acces import Agent
from instruction.dossiers import services
from tests.e2e import banc_api
from tests.e2e.banc_api import ROLES_ET_ANONYME, dossier_neuf, entetes

SERVICES = Agent.local("préparation du test")
_numeros = itertools.count(1)


@pytest.fixture(scope="module")
def banc(guichet_python, controles, tmp_path_factory):
    return banc_api.banc(guichet_python, controles, tmp_path_factory.mktemp("api_dossiers"))


@pytest.fixture(scope="module")
def api(banc):
    return banc_api.client(banc.app)


def nouveau(banc, etat: str = "depose", porteur: Agent = demo.PORTEUR) -> str:
    """Un dossier du porteur, neuf, amené à `etat` par les cas d'usage (depose, en_instruction, evalue)."""
    reference = f"ESSAI-{next(_numeros):04d}"
    uow, guichet = banc.contexte.unite_de_travail, banc.contexte.guichet
    assert services.deposer(uow(), guichet, dossier_neuf(reference), porteur) == []
    if etat in ("en_instruction", "evalue"):
        services.changer_etat(uow(), reference, "en_instruction", SERVICES, "prise en charge")
    if etat == "evalue":
        services.evaluer(uow(), guichet, reference, SERVICES)
    return reference


def consulter(banc, reference: str):
    return services.consulter(banc.contexte.unite_de_travail(), reference, SERVICES)


# For each role: the expected answer on the holder's own dossier (LA-2025-003, filed by the demo's holder, on no
# meeting's agenda) and on a dossier of the meeting (LA-2025-001, filed by the services).
LECTURE = {"anonyme": (401, 401), "porteur": (200, 404), "instructeur": (200, 200), "membre_comite": (404, 200),
           "admin": (200, 200)}


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_lire_un_dossier_selon_le_role(banc, api, role):
    for reference, attendu in zip(("LA-2025-003", "LA-2025-001"), LECTURE[role]):
        reponse = api.get(f"/api/v1/dossiers/{reference}", headers=entetes(banc, role))
        assert reponse.status_code == attendu, (reference, reponse.text)
        if attendu == 200:
            fiche = reponse.json()
            assert fiche["reference"] == reference and fiche["donnees"]["reference"] == reference
            assert fiche["etat"] == consulter(banc, reference).etat
            assert set(fiche["etats_permis"]) and set(fiche["capacites"]) >= {"voir", "corriger"}


def test_la_fiche_dit_ce_que_l_agent_peut_faire(banc, api):
    porteur = api.get("/api/v1/dossiers/LA-2025-003", headers=entetes(banc, "porteur")).json()["capacites"]
    instructeur = api.get("/api/v1/dossiers/LA-2025-003", headers=entetes(banc, "instructeur")).json()["capacites"]
    assert porteur["modifier"] and not porteur["corriger"]
    assert instructeur["corriger"] and instructeur["changer_etat"]


@pytest.mark.parametrize("role, attendues", [
    ("porteur", {"LA-2025-003", "LA-2025-004", "LA-2025-014", "LA-2025-023", "LA-2025-030", "LA-2026-012"}),
    ("membre_comite", set(demo.ORDRE_DU_JOUR) | {"LA-2025-038"}),
])
def test_la_liste_ne_montre_que_ce_que_le_role_peut_voir(banc, api, role, attendues):
    reponse = api.get("/api/v1/dossiers?par_page=100", headers=entetes(banc, role))
    assert reponse.status_code == 200
    vues = {d["reference"] for d in reponse.json()["dossiers"]}
    assert {r for r in vues if r.startswith("LA-")} == attendues
    assert banc_api.DOSSIER_AUTRE not in vues


def test_les_services_voient_tous_les_dossiers(banc, api):
    corps = api.get("/api/v1/dossiers?par_page=100", headers=entetes(banc, "instructeur")).json()
    attendus = {r.reference for r in services.lister(banc.contexte.unite_de_travail(), SERVICES)}
    assert {d["reference"] for d in corps["dossiers"]} == attendus and corps["total"] == len(attendus)


def test_la_liste_sans_jeton_repond_401(api):
    reponse = api.get("/api/v1/dossiers")
    assert reponse.status_code == 401 and reponse.json()["erreurs"][0]["champ"] is None


def test_la_liste_se_filtre_et_se_pagine(banc, api):
    tous = api.get("/api/v1/dossiers?par_page=100", headers=entetes(banc, "instructeur")).json()["dossiers"]
    h = entetes(banc, "instructeur")
    inscrits = api.get("/api/v1/dossiers?etat=inscrit_comite&par_page=100", headers=h).json()
    assert {d["reference"] for d in inscrits["dossiers"]} == {d["reference"] for d in tous
                                                              if d["etat"] == "inscrit_comite"}
    favorables = api.get("/api/v1/dossiers?avis=favorable&par_page=100", headers=h).json()["dossiers"]
    assert favorables and all(d["dernier_avis"] == "favorable" for d in favorables)
    bethune = api.get("/api/v1/dossiers?commune=62119&par_page=100", headers=h).json()["dossiers"]
    assert bethune and all(d["commune_insee"] == "62119" for d in bethune)
    texte = api.get("/api/v1/dossiers?q=BETHUNE&par_page=100", headers=h).json()["dossiers"]
    assert texte and all("bethune" in (d["porteur"] + d["titre"]).lower().replace("é", "e") for d in texte)
    page1 = api.get("/api/v1/dossiers?par_page=5", headers=h).json()
    page2 = api.get("/api/v1/dossiers?par_page=5&page=2", headers=h).json()
    assert [d["reference"] for d in page1["dossiers"] + page2["dossiers"]] == [d["reference"] for d in tous[:10]]
    assert page1["pages"] == -(-len(tous) // 5) and page1["total"] == len(tous)
    assert api.get("/api/v1/dossiers?page=999", headers=h).json()["dossiers"] == []


def test_le_filtre_de_statut_lit_l_evaluation_retenue_corrigee(banc, api):
    # LA-2025-018: the demo corrected its region_prit status to « eligible ».
    h = entetes(banc, "instructeur")
    eligibles = api.get("/api/v1/dossiers?statut_region_prit=eligible&par_page=100", headers=h).json()["dossiers"]
    assert "LA-2025-018" in {d["reference"] for d in eligibles}
    for d in eligibles:
        assert consulter(banc, d["reference"]).evaluation_retenue().statut("region_prit") == "eligible"


@pytest.mark.parametrize("parametre, message", [("etat=perdu", "valeur inconnue « perdu »"),
                                                ("par_page=101", "doit valoir au plus 100"),
                                                ("page=0", "doit valoir au moins 1"),
                                                ("statut_region_hdf=oui", "valeur inconnue « oui »")])
def test_un_filtre_invalide_repond_422_en_nommant_le_parametre(banc, api, parametre, message):
    reponse = api.get(f"/api/v1/dossiers?{parametre}", headers=entetes(banc, "instructeur"))
    assert reponse.status_code == 422
    [erreur] = reponse.json()["erreurs"]
    assert erreur["champ"] == parametre.split("=")[0] and erreur["message"].startswith(message)


DEPOT = {"anonyme": 401, "porteur": 201, "instructeur": 201, "membre_comite": 403, "admin": 201}


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_deposer_un_dossier_selon_le_role(banc, api, role):
    reference = f"DEPOT-{role.upper()}"
    reponse = api.post("/api/v1/dossiers", json=dossier_neuf(reference), headers=entetes(banc, role))
    assert reponse.status_code == DEPOT[role], reponse.text
    if DEPOT[role] == 201:
        assert reponse.headers["location"] == f"/api/v1/dossiers/{reference}"
        assert reponse.json()["etat"] == "depose"
        proprietaire = consulter(banc, reference).proprietaire
        assert proprietaire == (banc_api.COMPTES["porteur"] if role == "porteur" else None)


def test_un_brouillon_se_depose_aussi(banc, api):
    reponse = api.post("/api/v1/dossiers?brouillon=true", json=dossier_neuf("BROUILLON-1"),
                       headers=entetes(banc, "porteur"))
    assert reponse.status_code == 201 and reponse.json()["etat"] == "brouillon"


def test_une_reference_deja_prise_repond_409_et_une_saisie_invalide_422(banc, api):
    h = entetes(banc, "porteur")
    assert api.post("/api/v1/dossiers", json=dossier_neuf("DOUBLE-1"), headers=h).status_code == 201
    double = api.post("/api/v1/dossiers", json=dossier_neuf("DOUBLE-1"), headers=h)
    assert double.status_code == 409 and double.json()["erreurs"][0]["champ"] == "reference"
    invalide = dossier_neuf("INVALIDE-1")
    invalide["budget"]["cout_total_ht"] = True
    reponse = api.post("/api/v1/dossiers", json=invalide, headers=h)
    assert reponse.status_code == 422
    assert reponse.json() == {"reference": "INVALIDE-1", "erreurs": [
        {"champ": "budget.cout_total_ht", "message": "doit être un nombre (en euros HT)"}]}
    assert api.get("/api/v1/dossiers/INVALIDE-1", headers=entetes(banc, "instructeur")).status_code == 404


@pytest.mark.parametrize("role, attendu", [("anonyme", 401), ("porteur", 200), ("instructeur", 200),
                                           ("membre_comite", 404), ("admin", 200)])
def test_completer_un_dossier_selon_le_role(banc, api, role, attendu):
    reference = nouveau(banc)
    donnees = dossier_neuf(reference)
    donnees["projet"]["description"] = f"Complété par {role}."
    reponse = api.put(f"/api/v1/dossiers/{reference}", json=donnees, headers=entetes(banc, role))
    assert reponse.status_code == attendu, reponse.text
    lu = consulter(banc, reference).donnees.projet.description
    assert (lu == f"Complété par {role}.") is (attendu == 200)


def test_completer_sous_une_autre_reference_est_refuse(banc, api):
    reference = nouveau(banc)
    reponse = api.put(f"/api/v1/dossiers/{reference}", json=dossier_neuf("AUTRE-REF"),
                      headers=entetes(banc, "porteur"))
    assert reponse.status_code == 422 and reponse.json()["erreurs"][0]["champ"] == "reference"


@pytest.mark.parametrize("role, attendu", [("anonyme", 401), ("porteur", 201), ("instructeur", 201),
                                           ("membre_comite", 404), ("admin", 201)])
def test_evaluer_un_dossier_enregistre_selon_le_role(banc, api, role, attendu):
    reference = nouveau(banc, "en_instruction")
    reponse = api.post(f"/api/v1/dossiers/{reference}/evaluations", headers=entetes(banc, role))
    assert reponse.status_code == attendu, reponse.text
    evaluations = consulter(banc, reference).evaluations
    assert len(evaluations) == (1 if attendu == 201 else 0)
    if attendu == 201:
        corps = reponse.json()
        assert corps["numero"] == 1 and corps["resultat"] == evaluations[0].resultat.en_json()


def test_un_membre_du_comite_ne_peut_pas_evaluer_un_dossier_de_sa_reunion(banc, api):
    reponse = api.post("/api/v1/dossiers/LA-2025-005/evaluations", headers=entetes(banc, "membre_comite"))
    assert reponse.status_code == 403


TRANSITION = {"anonyme": 401, "porteur": 403, "instructeur": 200, "membre_comite": 404, "admin": 200}


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_changer_l_etat_selon_le_role(banc, api, role):
    reference = nouveau(banc)
    reponse = api.post(f"/api/v1/dossiers/{reference}/transitions", json={"vers": "en_instruction", "motif": "prise"},
                       headers=entetes(banc, role))
    assert reponse.status_code == TRANSITION[role], reponse.text
    etat = consulter(banc, reference).etat
    assert etat == ("en_instruction" if TRANSITION[role] == 200 else "depose")
    if TRANSITION[role] == 200:
        assert reponse.json()["etat"] == "en_instruction"
        assert reponse.json()["etats_permis"] == ["avis_rendu", "classe_sans_suite"]


def test_un_passage_interdit_repond_409_avec_les_etats_permis_et_rien_ne_change(banc, api):
    reference = nouveau(banc)
    reponse = api.post(f"/api/v1/dossiers/{reference}/transitions", json={"vers": "decide", "motif": "vite"},
                       headers=entetes(banc, "instructeur"))
    assert reponse.status_code == 409
    [erreur] = reponse.json()["erreurs"]
    assert erreur["champ"] == "vers" and erreur["etats_permis"] == ["en_instruction", "classe_sans_suite"]
    assert "« depose » à « decide » interdit" in erreur["message"]
    assert consulter(banc, reference).etat == "depose"


def test_le_porteur_retire_sa_demande(banc, api):
    reference = nouveau(banc)
    reponse = api.post(f"/api/v1/dossiers/{reference}/transitions",
                       json={"vers": "classe_sans_suite", "motif": "projet abandonné"},
                       headers=entetes(banc, "porteur"))
    assert reponse.status_code == 200 and consulter(banc, reference).etat == "classe_sans_suite"


@pytest.mark.parametrize("corps, champ", [
    ({"vers": "en_instruction"}, "motif"), ({"vers": "en_instruction", "motif": ""}, "motif"),
    ({"vers": "ailleurs", "motif": "x"}, "vers"), ({"vers": "en_instruction", "motif": True}, "motif"),
    ({"vers": "en_instruction", "motif": "x", "quand": "hier"}, "quand"),
])
def test_un_corps_de_transition_invalide_repond_422_en_nommant_le_champ(banc, api, corps, champ):
    reference = nouveau(banc)
    reponse = api.post(f"/api/v1/dossiers/{reference}/transitions", json=corps, headers=entetes(banc, "instructeur"))
    assert reponse.status_code == 422
    assert [e["champ"] for e in reponse.json()["erreurs"]] == [champ]


CORRECTION = {"anonyme": 401, "porteur": 403, "instructeur": 201, "membre_comite": 404, "admin": 201}


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_corriger_puis_revoir_selon_le_role(banc, api, role):
    reference = nouveau(banc, "evalue")
    calcul = consulter(banc, reference).derniere_evaluation.resultat.avis
    autre = "defavorable" if calcul != "defavorable" else "favorable"
    reponse = api.post(f"/api/v1/dossiers/{reference}/corrections", headers=entetes(banc, role),
                       json={"genre": "avis", "valeur": autre, "justification": "lecture du service"})
    assert reponse.status_code == CORRECTION[role], reponse.text
    if CORRECTION[role] != 201:
        assert consulter(banc, reference).corrections == []
        return
    assert reponse.json()["valeur_calculee"] == calcul and reponse.json()["numero"] == 1
    assert consulter(banc, reference).evaluation_retenue().avis == autre
    revue = api.post(f"/api/v1/dossiers/{reference}/corrections/1/revue", headers=entetes(banc, role),
                     json={"maintenir": False, "justification": "le calcul suffit"})
    assert revue.status_code == 200 and revue.json()["retiree"] is True
    assert consulter(banc, reference).evaluation_retenue().avis == calcul


def test_le_porteur_ne_revoit_pas_une_correction(banc, api):
    reference = nouveau(banc, "evalue")
    services.corriger(banc.contexte.unite_de_travail(), reference, "constat_ajoute", None, "à vérifier", "note",
                      SERVICES)
    reponse = api.post(f"/api/v1/dossiers/{reference}/corrections/1/revue", headers=entetes(banc, "porteur"),
                       json={"maintenir": True, "justification": "moi"})
    assert reponse.status_code == 403 and consulter(banc, reference).corrections[0].active


@pytest.mark.parametrize("corps, champ", [
    ({"genre": "statut", "financeur": "region_hdf", "valeur": "inconnu", "justification": "j"}, "valeur"),
    ({"genre": "statut", "financeur": "la_banque", "valeur": "exclu", "justification": "j"}, "financeur"),
    ({"genre": "avis", "valeur": "favorable"}, "justification"),
    ({"genre": "constat_ecarte", "regle": "pas.une.regle", "justification": "j"}, "regle"),
    ({"genre": "tout", "justification": "j"}, "genre"),
])
def test_une_correction_invalide_repond_422_en_nommant_le_champ(banc, api, corps, champ):
    reference = nouveau(banc, "evalue")
    reponse = api.post(f"/api/v1/dossiers/{reference}/corrections", json=corps, headers=entetes(banc, "instructeur"))
    assert reponse.status_code == 422, reponse.text
    assert [e["champ"] for e in reponse.json()["erreurs"]] == [champ]


def test_une_revue_attend_un_vrai_booleen(banc, api):
    reponse = api.post("/api/v1/dossiers/LA-2025-003/corrections/1/revue", headers=entetes(banc, "instructeur"),
                       json={"maintenir": "oui", "justification": "j"})
    assert reponse.status_code == 422
    assert reponse.json()["erreurs"] == [{"champ": "maintenir", "message": "doit valoir vrai ou faux (true/false)"}]
